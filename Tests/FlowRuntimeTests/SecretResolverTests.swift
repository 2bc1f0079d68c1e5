import FlowCore
import FlowRuntime
import Foundation
import Testing

@Suite("Secret files")
struct SecretResolverTests {
    // Expected by hand from the documented rule: one trailing "\n" or "\r\n" is dropped (what
    // `echo value > file` adds), nothing else.
    @Test(
        "a secret file loses one trailing line ending, LF or CRLF",
        arguments: [
            ("s3cret\n", "s3cret"), ("s3cret\r\n", "s3cret"), ("s3cret", "s3cret"), ("s3cret\n\n", "s3cret\n"),
            ("firstline-AAA\nsecondline-BBB\n", "firstline-AAA\nsecondline-BBB"), ("pad \n", "pad "),
        ])
    func trailingLineEnding(content: String, expected: String) throws {
        let root = NSTemporaryDirectory() + "flow-secret-\(UUID())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try content.write(toFile: root + "/s", atomically: true, encoding: .utf8)
        let values = try SecretResolver.resolve(
            [SecretSpec(name: "S", source: .file("s"))], environment: [:], baseDirectory: root)
        #expect(values == ["S": expected])
    }
}
