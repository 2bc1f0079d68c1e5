import Foundation
import Testing

/// docs/openapi.yaml is a valid OpenAPI 3.1 document, by openapi-spec-validator (PyPI,
/// scripts/ci/pip-packages.txt); required in CI.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    static let document = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml").path
    static let validatorInstalled: Bool = {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import openapi_spec_validator"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()

    @Test(
        "openapi-spec-validator accepts docs/openapi.yaml",
        .enabled(if: validatorInstalled || ProcessInfo.processInfo.environment["CI"] == "true"))
    func valid() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-m", "openapi_spec_validator", Self.document]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(said)")
        #expect(said.contains("OK"))
    }

    @Test("every route the server has is in the document")
    func routesDocumented() throws {
        let text = try String(contentsOfFile: Self.document, encoding: .utf8)
        for path in [
            "/healthz:", "/metrics:", "/api/v1/workflows:", "/api/v1/workflows/{name}/runs:", "/api/v1/runs:", "/api/v1/runs/{id}:",
            "/api/v1/runs/{id}/logs:", "/api/v1/runs/{id}/cancel:",
        ] {
            #expect(text.contains("  \(path)\n"), "\(path) is not documented")
        }
    }
}
