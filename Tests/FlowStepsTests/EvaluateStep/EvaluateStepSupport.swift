import FlowCore
import FlowEngine
import Foundation
import Synchronization

@testable import FlowSteps

/// Temporary folders, invocations and a log that keeps its lines, for the evaluate, promote
/// and feedback-export tests.
enum EvaluateStepSupport {
    static func temporaryFolder(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flow-\(label)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Lines written to a `StepLog`.
    final class LogLines: Sendable {
        private let lines = Mutex<[String]>([])
        var log: StepLog {
            StepLog { [self] _, bytes, _ in lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
        }
        var all: [String] { lines.withLock { $0 } }
    }

    static func invocation(
        _ inputs: [String: ExpressionValue], folder: String, step: String = "evaluate", run: String = "run-1",
        database: Bool = true, log: StepLog = .discarding, environment: [String: String] = [:]
    ) -> StepInvocation {
        StepInvocation(
            runID: RunID(run), workflow: "test", stepID: StepID(step), attempt: 1, inputs: inputs, environment: environment,
            workspace: folder + "/workspace", workingDirectory: folder, log: log,
            databasePath: database ? folder + "/flow.db" : nil)
    }

    /// A SQLite store at `<folder>/.flow/vectors.sqlite` (the steps' default) holding `points` in collection `name`
    /// (dimension 2, cosine, english analysis).
    static func store(_ folder: String, _ name: String, _ points: [VectorPoint]) async throws -> SQLiteVectorStore {
        let store = try SQLiteVectorStore(path: folder + "/.flow/vectors.sqlite")
        try await store.createCollection(name, dimension: 2, distance: .cosine, textAnalysis: .english)
        try await store.upsert(points, into: name)
        return store
    }

    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
