import Testing

@testable import FlowEngine

@Suite("Line splitter")
struct LineSplitterTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var chunks: [String]
        /// Expected pieces; a trailing "+" marks `isContinued`.
        var pieces: [String]
        var testDescription: String { "\(chunks) → \(pieces)" }
    }

    // Expected by hand, with maxLineBytes = 4: a piece is cut only when a fifth byte of the
    // same line arrives; the end of input ends the last line.
    @Test(
        "cuts lines at \\n and long lines into pieces",
        arguments: [
            Case(chunks: ["ab\ncd\n"], pieces: ["ab", "cd"]),
            Case(chunks: ["ab", "c\nd"], pieces: ["abc", "d"]),
            Case(chunks: ["abcd\n"], pieces: ["abcd"]),
            Case(chunks: ["abcde\n"], pieces: ["abcd+", "e"]),
            Case(chunks: ["abcdefgh\n"], pieces: ["abcd+", "efgh"]),
            Case(chunks: ["abcdefghi"], pieces: ["abcd+", "efgh+", "i"]),
            Case(chunks: ["abcdefgh"], pieces: ["abcd+", "efgh"]),
            Case(chunks: ["ab", "cd", "ef", "\n"], pieces: ["abcd+", "ef"]),
            Case(chunks: ["\n\n"], pieces: ["", ""]),
            Case(chunks: ["a\r\n"], pieces: ["a\r"]),
            Case(chunks: [], pieces: []),
        ])
    func splits(_ example: Case) {
        var splitter = LineSplitter(stream: .stderr, maxLineBytes: 4)
        var lines: [OutputLine] = []
        for chunk in example.chunks {
            Array(chunk.utf8).withUnsafeBytes { splitter.feed($0, into: &lines) }
        }
        splitter.finish(into: &lines)
        #expect(lines.map { String(decoding: $0.bytes, as: UTF8.self) + ($0.isContinued ? "+" : "") } == example.pieces)
        #expect(lines.allSatisfy { $0.stream == .stderr })
    }
}
