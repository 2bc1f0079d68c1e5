import FlowCore
import Foundation
import Testing

@testable import FlowCLI

@Suite("Renderers")
struct RenderersTests {
    @Test(
        "elapsed time reads as printf's %.2f seconds under a minute, then minutes and seconds",
        arguments: [
            // Expected text from `printf '%.2fs' S` (coreutils) below 60 s; by hand above.
            (0.0, "0.00s"),
            (0.004, "0.00s"),
            (0.006, "0.01s"),
            (1.234, "1.23s"),
            (9.999, "10.00s"),
            (59.99, "59.99s"),
            (60.0, "1m00s"),
            (123.0, "2m03s"),
            (3_599.6, "60m00s"),
            (-1.0, "0.00s"),
        ])
    func elapsed(_ seconds: Double, _ text: String) {
        #expect(Renderers.elapsed(seconds) == text)
    }
}

@Suite("Plain output")
struct PlainOutputTests {
    @Test("a long line written in pieces is never glued to another step's line")
    func interleavedLongLine() throws {
        let path = NSTemporaryDirectory() + "flow-plain-\(UUID()).txt"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        try #require(fd >= 0)
        defer { unlink(path) }
        let renderer = PlainRenderer(console: Console(environment: [:], output: fd, errors: fd), width: 5)
        let now = Date()
        func piece(_ step: String, _ text: String, continued: Bool) {
            renderer.handle(
                .stepOutput(StepID(rawValue: step), attempt: 1, stream: .stdout, bytes: Array(text.utf8), continued: continued, at: now))
        }
        // A long line of `long` arrives in two pieces with a line of `short` between them, then
        // its end; then `long` writes a whole line.
        piece("long", "aaaa", continued: true)
        piece("long", "bbbb", continued: true)
        piece("short", "short-line", continued: false)
        piece("long", "cccc", continued: false)
        piece("long", "next", continued: false)
        close(fd)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // Expected by hand: the open line is ended before `short`'s line; its rest gets the
        // prefix again.
        #expect(
            text == """
                long  │ aaaabbbb
                short │ short-line
                long  │ cccc
                long  │ next

                """)
    }
}
