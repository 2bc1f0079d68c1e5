import FlowSpec
import Foundation
import Testing

@Suite struct WorkflowSchemaTests {
    @Test("docs/flow.schema.json is WorkflowSchema.json byte for byte")
    func committedCopyIsIdentical() throws {
        let url = Fixtures.repositoryRoot.appendingPathComponent("docs/flow.schema.json")
        let committed = try Data(contentsOf: url)
        #expect(committed == Data(WorkflowSchema.json.utf8))
    }

    @Test("the schema is JSON declaring draft 2020-12")
    func isDraft202012JSON() throws {
        let object = try JSONSerialization.jsonObject(with: Data(WorkflowSchema.json.utf8)) as? [String: Any]
        #expect(object?["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(object?["additionalProperties"] as? Bool == false)
    }

    /// The independent check: `check-jsonschema` (PyPI) validates every valid fixture against
    /// the schema. Without it the test is skipped locally, but fails when `CI=true`.
    @Test("every valid fixture validates with check-jsonschema")
    func validFixturesValidate() throws {
        let script = Fixtures.repositoryRoot.appendingPathComponent("scripts/check-schema.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [script.path, "Tests/FlowSpecTests/Fixtures/valid"]
        process.currentDirectoryURL = Fixtures.repositoryRoot
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 69 {
            let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
            #expect(!inCI, "check-jsonschema is missing in CI: \(text)")
            return
        }
        #expect(process.terminationStatus == 0, "\(text)")
    }
}
