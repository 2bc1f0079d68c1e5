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
