import FlowCore
import FlowEngine
import FlowRuntime
import FlowScheduler
import FlowServer
import FlowStore
import Foundation
import Glibc

/// The API's ports, wired to the catalog, the run database and the scheduler.
struct DaemonAPI: WorkflowDirectory, RunHistory, RunCommands {
    let catalog: WorkflowCatalog
    let store: RunStore
    let scheduler: SchedulerService
    let dispatcher: DaemonDispatcher
    let now: @Sendable () -> Date

    // MARK: WorkflowDirectory

    func workflows() async -> [WorkflowSummary] {
        var nextFires = scheduler.snapshot.nextFires
        // Schedules the scheduler has not planned yet (just loaded): their next time from now.
        let now = now()
        for schedule in catalog.schedules() where !schedule.paused && nextFires[schedule.id] == nil {
            nextFires[schedule.id] = schedule.cron.next(after: now, in: schedule.timeZone)
        }
        return catalog.summaries(nextFires: nextFires)
    }

    // MARK: RunHistory

    func runs(workflow: WorkflowName?, status: RunStatus?, limit: Int) async throws(APIError) -> [Run] {
        do { return try store.runs(workflow: workflow, status: status, limit: limit) } catch { throw Self.map(error) }
    }

    func run(_ id: String) async throws(APIError) -> RunDetail {
        do {
            guard let run = try store.run(id) else { throw APIError(.notFound, "no run '\(id)'") }
            return RunDetail(run: run, steps: try store.stepRuns(run.id), attempts: try store.attempts(run.id))
        } catch let error as APIError {
            throw error
        } catch let error as StoreError {
            throw Self.map(error)
        } catch {
            throw APIError(.internalError, "\(error)")
        }
    }

    func logs(of run: RunID, after: Int64, limit: Int) async throws(APIError) -> [LogLine] {
        do { return try store.logs(run, after: after, limit: limit) } catch { throw Self.map(error) }
    }

    func status(of run: RunID) async throws(APIError) -> RunStatus {
        let found: Run?
        do { found = try store.run(run.rawValue) } catch { throw Self.map(error) }
        guard let found else { throw APIError(.notFound, "no run '\(run)'") }
        return found.status
    }

    // MARK: RunCommands

    func trigger(_ workflow: String, params: [String: String]) async throws(APIError) -> Run {
        guard !scheduler.snapshot.stopping else { throw APIError(.unavailable, "the daemon is stopping") }
        guard let (loaded, file) = catalog.workflow(matching: workflow) else {
            if let problems = catalog.problems(matching: workflow), !problems.isEmpty {
                throw APIError(
                    .invalidWorkflow,
                    "workflow '\(workflow)' does not load: "
                        + problems.filter { $0.severity == .error }.map(\.description).joined(separator: "; "))
            }
            throw APIError(.notFound, "no workflow '\(workflow)' in the watched folders")
        }
        let run: Run
        do {
            run = try dispatcher.recordRequested(loaded, file: file, params: params)
        } catch {
            switch error.code {
            case .invalidParams: throw APIError(.invalidParams, error.message)
            case .missingSecret: throw APIError(.missingSecret, error.message)
            default: throw APIError(.unavailable, error.message)
            }
        }
        scheduler.submit(ActiveRun(id: run.id, workflow: run.workflow), control: RunControl())
        return run
    }

    func cancel(_ id: String) async throws(APIError) -> (Run, CancelEffect) {
        let found: Run?
        do { found = try store.run(id) } catch { throw Self.map(error) }
        guard let run = found else { throw APIError(.notFound, "no run '\(id)'") }
        guard !run.status.isFinal else { throw APIError(.conflict, "run \(run.id) is already \(run.status.rawValue)") }
        switch await scheduler.cancel(run.id, reason: "cancelled through the API") {
        case .cancelling:
            return (run, .cancelling)
        case .cancelled:
            return ((try? store.run(run.id.rawValue)) ?? nil ?? run, .cancelled)
        case .notActive:
            // Run by another flow process on this host (`flow run`): ask it, as `flow cancel` does.
            if let pid = run.pid, run.host == ProcessInfo.processInfo.hostName, pid != getpid(), kill(pid, SIGTERM) == 0 {
                return (run, .cancelling)
            }
            throw APIError(.conflict, "run \(run.id) is not run by this daemon, and its process cannot be reached")
        }
    }

    static func map(_ error: StoreError) -> APIError {
        APIError(error.code == .notFound ? .notFound : .unavailable, error.message)
    }
}
