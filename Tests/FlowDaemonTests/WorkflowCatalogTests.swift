import FlowCore
import FlowSpec
import Foundation
import Logging
import Testing

@testable import FlowDaemon

@Suite("WorkflowCatalog")
struct WorkflowCatalogTests {
    @Test("a workflow file that is not UTF-8 is unreadable-file naming its first bad byte, as flow validate says")
    func notUTF8() throws {
        let project = try TempProject()
        // "name: latin\nsteps:\n  a:\n    run: echo " is 38 bytes (12 + 7 + 5 + 14), so the
        // Latin-1 "é" (0xE9: it starts a three-byte UTF-8 sequence, and the space after it is not
        // a continuation byte) is byte 38 (0-based), on line 4.
        var bytes = Array("name: latin\nsteps:\n  a:\n    run: echo ".utf8)
        #expect(bytes.count == 38)
        bytes += [0xE9, 0x20, 0x0A]
        let path = project.root + "/Workflows/latin.yaml"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let catalog = WorkflowCatalog(
            project: project.project, loader: WorkflowLoader(catalog: StepKindCatalog()), logger: Logger(label: "test"), now: { Date() },
            onReloadError: {})
        let outcome = catalog.reload()
        #expect(outcome.failed == ["Workflows/latin.yaml"])
        let problems = try #require(catalog.problems(matching: "latin"))
        #expect(problems.map(\.code.rawValue) == ["unreadable-file"])
        #expect(
            problems.first?.message
                == "cannot read 'Workflows/latin.yaml': it is not UTF-8 text (byte 38, on line 4, is not valid UTF-8)")
    }
}
