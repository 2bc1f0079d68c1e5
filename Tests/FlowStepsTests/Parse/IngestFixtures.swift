import FlowCore
import FlowEngine
import Foundation
import Synchronization
import Testing

@testable import FlowSteps

/// Shared helpers of the crawl/parse/chunk tests: where the real data is, temporary
/// folders, and invocations of the executors.
enum IngestFixtures {
    /// Debian's python3-doc: the Python documentation as HTML (Sphinx).
    static let pythonDocs = "/usr/share/doc/python3/html"

    static var pythonDocsInstalled: Bool {
        FileManager.default.fileExists(atPath: pythonDocs + "/library/json.html")
    }

    /// In CI (`CI=true`) tests needing system packages must fail when they are missing;
    /// locally they are skipped.
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The folder of this test file's fixtures.
    static func fixture(_ name: String, file: String = #filePath) -> String {
        (file as NSString).deletingLastPathComponent + "/Fixtures/" + name
    }

    /// A new empty folder under the system's temporary folder.
    static func temporaryFolder(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("flow-\(label)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// An executable on PATH, if any.
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return PDFTextExtractor.executable(name, searchPath: path + ":/usr/sbin:/sbin")
    }

    /// Collects a step's log lines.
    final class LogLines: Sendable {
        private let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        var log: StepLog {
            StepLog { _, bytes, _ in self.lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
        }
    }

    static func invocation(
        step: String, inputs: [String: ExpressionValue], workspace: String, workingDirectory: String? = nil,
        databasePath: String? = nil, log: StepLog = .discarding
    ) -> StepInvocation {
        StepInvocation(
            runID: RunID("run-test"), workflow: WorkflowName("ingest-test"), stepID: StepID(step), attempt: 1,
            inputs: inputs, environment: ProcessInfo.processInfo.environment, workspace: workspace,
            workingDirectory: workingDirectory ?? workspace, log: log, databasePath: databasePath)
    }

    /// The text of `text` between Unicode scalar offsets.
    static func slice(_ text: String, _ start: Int, _ end: Int) -> String {
        let scalars = text.unicodeScalars
        let from = scalars.index(scalars.startIndex, offsetBy: start)
        let to = scalars.index(from, offsetBy: end - start)
        return String(scalars[from..<to])
    }
}
