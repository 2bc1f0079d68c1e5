import FlowCore
import FlowSpec
import Foundation
import Testing

/// Golden files: each `Fixtures/invalid/<case>.yaml` is loaded as `<case>.yaml` and every
/// diagnostic is rendered; the output must equal `<case>.txt` byte for byte. The expected
/// files were written by `FLOW_UPDATE_GOLDEN=1 swift test --filter InvalidFixtureTests` and
/// then checked by hand, line, column and text, against the YAML beside them.
@Suite struct InvalidFixtureTests {
    static let cases = Fixtures.cases(in: "invalid")

    @Test("the corpus has at least 60 invalid workflows, each with its expected output")
    func corpusSize() throws {
        #expect(Self.cases.count >= 60)
        for name in Self.cases {
            let expected = Fixtures.directory.appendingPathComponent("invalid/\(name).txt")
            #expect(FileManager.default.fileExists(atPath: expected.path), "missing \(name).txt")
        }
    }

    @Test("renders the expected diagnostics", arguments: cases)
    func rendersExpectedDiagnostics(name: String) throws {
        let text = try Fixtures.text("invalid", "\(name).yaml")
        let file = "\(name).yaml"
        let diagnostics: [Diagnostic]
        do {
            diagnostics = try WorkflowLoader(catalog: TestCatalog.catalog).load(text: text, file: file).1
        } catch {
            diagnostics = error.diagnostics
        }
        #expect(!diagnostics.isEmpty, "\(name) loads without any diagnostic")
        let rendered = DiagnosticRenderer(sources: [file: text]).render(diagnostics)
        let expectedURL = Fixtures.directory.appendingPathComponent("invalid/\(name).txt")
        if ProcessInfo.processInfo.environment["FLOW_UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(rendered == expected)
    }
}
