import FlowCore
import FlowSpec
import Foundation
import Testing

@Suite struct WorkflowSchemaTests {
    // docs/flow.schema.json is `flow schema`'s output (this schema with every built-in kind's
    // `with:`); FlowIntegrationTests checks the two are identical.

    @Test("the schema is JSON declaring draft 2020-12")
    func isDraft202012JSON() throws {
        let object = try JSONSerialization.jsonObject(with: Data(WorkflowSchema.json.utf8)) as? [String: Any]
        #expect(object?["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(object?["additionalProperties"] as? Bool == false)
    }

    /// The independent check: `check-jsonschema` (PyPI) validates every valid fixture against
    /// the schema. Without it the test passes locally, but fails when `CI=true`.
    @Test("every valid fixture validates with check-jsonschema")
    func validFixturesValidate() throws {
        // The fixtures use the test catalog's kinds, so they are checked against the schema
        // made for that catalog (docs/flow.schema.json describes the built-in kinds).
        let schema = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-schema-\(UUID().uuidString).json")
        try WorkflowSchema.json(catalog: TestCatalog.catalog).write(to: schema, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: schema) }
        guard let (status, output) = try Self.checkSchema(["Tests/FlowSpecTests/Fixtures/valid"], environment: ["FLOW_SCHEMA": schema.path])
        else { return }
        #expect(status == 0, "\(output)")
    }

    @Test("the schema with a catalog checks with: per kind")
    func catalogSchema() throws {
        let text = WorkflowSchema.json(catalog: TestCatalog.catalog)
        #expect(WorkflowSchema.json(catalog: StepKindCatalog()).count > 1_000)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let schema = folder.appendingPathComponent("schema.json")
        try text.write(to: schema, atomically: true, encoding: .utf8)
        let bad = folder.appendingPathComponent("bad.yaml")
        try "steps:\n  a:\n    uses: fetch\n    with: {url: x, retries: many}\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let missing = folder.appendingPathComponent("missing.yaml")
        try "steps:\n  a:\n    uses: fetch\n    with: {urll: x}\n".write(to: missing, atomically: true, encoding: .utf8)
        let templated = folder.appendingPathComponent("templated.yaml")
        try "steps:\n  a:\n    uses: fetch\n    with: {url: x, retries: '${{ params.n }}'}\n"
            .write(to: templated, atomically: true, encoding: .utf8)
        let environment = ["FLOW_SCHEMA": schema.path]
        guard
            let (valid, output) = try Self.checkSchema(
                ["Tests/FlowSpecTests/Fixtures/valid", templated.path], environment: environment)
        else { return }
        #expect(valid == 0, "\(output)")
        for file in [bad, missing] {
            let (status, _) = try Self.checkSchema([file.path], environment: environment) ?? (0, "")
            #expect(status == 1)
        }
    }

    /// Runs scripts/check-schema.sh; nil when check-jsonschema is not installed (an issue is
    /// recorded when `CI=true`, where it must be).
    static func checkSchema(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String)? {
        let script = Fixtures.repositoryRoot.appendingPathComponent("scripts/check-schema.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [script.path] + arguments
        process.currentDirectoryURL = Fixtures.repositoryRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 69 {
            let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
            #expect(!inCI, "check-jsonschema is missing in CI: \(text)")
            return nil
        }
        return (process.terminationStatus, text)
    }
}
