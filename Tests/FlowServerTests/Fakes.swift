import FlowCore
import FlowServer
import Foundation
import Synchronization

/// Ports backed by a few fixed runs; `trigger` and `cancel` record what they were asked.
final class FakeBackend: WorkflowDirectory, RunHistory, RunCommands, MetricsSource {
    let t0 = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    private let state = Mutex<(triggered: [(String, [String: String])], cancelled: [String], logs: [LogLine], status: RunStatus)>(
        ([], [], [], .running))

    var triggered: [(String, [String: String])] { state.withLock { $0.triggered } }
    var cancelled: [String] { state.withLock { $0.cancelled } }

    func run(id: String = "20260101-000000-abcdef", status: RunStatus = .running) -> Run {
        Run(
            id: RunID(id), workflow: "nightly", workflowFile: "Workflows/nightly.yaml", trigger: .schedule, status: status,
            params: ["day": "monday"], scheduledFor: t0, scheduleKey: "0 0 * * * UTC", workspace: "/tmp/ws", pid: 42, host: "h",
            createdAt: t0, startedAt: t0.addingTimeInterval(0.25))
    }

    /// Adds a log line; with `finish`, the run's status becomes `succeeded`.
    func appendLog(_ text: String, finish: Bool = false) {
        state.withLock { s in
            s.logs.append(
                LogLine(
                    sequence: Int64(s.logs.count + 1), stepID: "build", attempt: 1, stream: .stdout, time: t0, bytes: Array(text.utf8),
                    continued: false))
            if finish { s.status = .succeeded }
        }
    }

    func workflows() async -> [WorkflowSummary] {
        [
            WorkflowSummary(
                name: "nightly", file: "Workflows/nightly.yaml", description: "Nightly build", loaded: true, loadedAt: t0,
                schedules: [
                    .init(
                        cron: "0 0 * * *", timezone: "UTC", paused: false, catchup: "latest", overlap: "skip",
                        nextFire: t0.addingTimeInterval(86400))
                ],
                diagnostics: [
                    Diagnostic(
                        .error, code: "unknown-key", message: "unknown key 'stpes'",
                        at: SourceLocation(file: "Workflows/nightly.yaml", line: 3, column: 1))
                ])
        ]
    }

    func runs(workflow: WorkflowName?, status: RunStatus?, limit: Int) async throws(APIError) -> [Run] {
        [run()].filter { (workflow == nil || $0.workflow == workflow) && (status == nil || $0.status == status) }.prefix(limit).map { $0 }
    }

    func run(_ id: String) async throws(APIError) -> RunDetail {
        guard "20260101-000000-abcdef".hasPrefix(id) else { throw APIError(.notFound, "no run '\(id)'") }
        let r = run()
        return RunDetail(
            run: r, steps: [StepRun(runID: r.id, stepID: "build", status: .running, attempts: 2, startedAt: t0)],
            attempts: [
                Attempt(runID: r.id, stepID: "build", number: 1, status: .failed, exitCode: 1, pid: 100, startedAt: t0, finishedAt: t0),
                Attempt(runID: r.id, stepID: "build", number: 2, status: .running, pid: 101, startedAt: t0),
            ])
    }

    func logs(of run: RunID, after: Int64, limit: Int) async throws(APIError) -> [LogLine] {
        state.withLock { s in Array(s.logs.filter { $0.sequence > after }.prefix(limit)) }
    }

    func status(of run: RunID) async throws(APIError) -> RunStatus {
        state.withLock { $0.status }
    }

    func trigger(_ workflow: String, params: [String: String]) async throws(APIError) -> Run {
        guard workflow == "nightly" else { throw APIError(.notFound, "no workflow '\(workflow)'") }
        state.withLock { $0.triggered.append((workflow, params)) }
        return run(id: "20260101-000001-queued", status: .queued)
    }

    func cancel(_ id: String) async throws(APIError) -> (Run, CancelEffect) {
        state.withLock { $0.cancelled.append(id) }
        return (run(), .cancelling)
    }

    func exposition() -> [UInt8] {
        Array("# HELP flow_runs_running Runs executing.\n# TYPE flow_runs_running gauge\nflow_runs_running 1\n".utf8)
    }
}
