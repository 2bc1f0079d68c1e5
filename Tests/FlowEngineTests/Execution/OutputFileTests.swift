import FlowEngine
import Testing

@Suite("$FLOW_OUTPUT file")
struct OutputFileTests {
    // Expected by hand from GitHub's `$GITHUB_OUTPUT` format ("name=value" lines, "name<<EOF"
    // heredocs); CRLF line ends lose their "\r" as in LF files.
    @Test("reads CRLF files like LF ones", arguments: ["\n", "\r\n"])
    func crlf(ending: String) throws {
        let text = ["x=1", "y=2", "notes<<EOF", "line one", "line two", "EOF", "z=3"]
            .map { $0 + ending }.joined()
        let outputs = try OutputFile.parse(text)
        #expect(outputs == ["x": "1", "y": "2", "notes": "line one\nline two", "z": "3"])
    }

    @Test("strips only one trailing \\r from a line")
    func oneCarriageReturn() throws {
        #expect(try OutputFile.parse("a=v\r\r\n") == ["a": "v\r"])
    }

    @Test("an unterminated heredoc names its first line")
    func unterminated() {
        #expect {
            try OutputFile.parse("a=1\r\nm<<EOF\r\nx\r\n")
        } throws: { error in
            (error as? OutputFile.FormatError)?.description == "$FLOW_OUTPUT line 2: no line 'EOF' ends the value of 'm'"
        }
    }
}
