import FlowCore
import FlowEngine
import FlowRuntime
import FlowScheduler
import FlowStore
import Foundation
import Logging
import Synchronization

/// Records and executes the daemon's runs: the scheduler's fires and the API's requests. A run
/// is recorded `queued` when it is decided (so the unique index guards every fire time and a
/// crash leaves a record that recovery closes) and executed when the scheduler admits it.
final class DaemonDispatcher: RunDispatching {
    let catalog: WorkflowCatalog
    let factory: RunFactory
    let store: RunStore
    let engine: Engine
    let metrics: DaemonMetrics
    let logger: Logger
    /// Prepared requests of recorded runs that have not started yet.
    private let pending = Mutex<[RunID: RunRequest]>([:])

    init(catalog: WorkflowCatalog, factory: RunFactory, store: RunStore, engine: Engine, metrics: DaemonMetrics, logger: Logger) {
        self.catalog = catalog
        self.factory = factory
        self.store = store
        self.engine = engine
        self.metrics = metrics
        self.logger = logger
    }

    func record(_ schedule: ScheduleID, scheduledFor: Date) async throws(DispatchError) -> RunID {
        guard let (workflow, file) = catalog.workflow(named: schedule.workflow) else {
            throw DispatchError(.invalid, "workflow '\(schedule.workflow)' is no longer loaded")
        }
        let request: RunRequest
        let record: Run
        do {
            (request, record) = try factory.make(
                workflow, file: file, params: [:], trigger: .schedule, scheduledFor: scheduledFor, scheduleKey: schedule.key)
        } catch {
            throw DispatchError(.invalid, error.message)
        }
        do {
            try store.createRun(record, steps: RunFactory.steps(of: workflow))
        } catch {
            throw DispatchError(error.code == .conflict ? .conflict : .unavailable, error.message)
        }
        pending.withLock { $0[record.id] = request }
        return record.id
    }

    /// Records an API run of `workflow` as queued.
    /// - Throws: `RuntimeError` (`.invalidParams`, `.missingSecret`, `.database`).
    func recordRequested(_ workflow: Workflow, file: String, params: [String: String]) throws(RuntimeError) -> Run {
        let (request, record) = try factory.make(workflow, file: file, params: params, trigger: .api)
        do {
            try store.createRun(record, steps: RunFactory.steps(of: workflow))
        } catch {
            throw RuntimeError(error)
        }
        pending.withLock { $0[record.id] = request }
        return record
    }

    func execute(_ run: ActiveRun, control: RunControl) async -> RunStatus {
        guard let request = pending.withLock({ $0.removeValue(forKey: run.id) }) else {
            let reason = "the daemon lost the prepared run before it started"
            _ = try? store.recordRunInterrupted(run.id, reason: reason, at: factory.now())
            logger.error("\(reason)", metadata: ["run": "\(run.id)"])
            return .interrupted
        }
        try? FileManager.default.createDirectory(atPath: request.workspace, withIntermediateDirectories: true)
        let recorder = RunRecorder(store: store, run: run.id)
        let observer = MetricsObserver(metrics: metrics, workflow: run.workflow, scheduledFor: run.scheduledFor)
        logger.info("run started", metadata: ["run": "\(run.id)", "workflow": "\(run.workflow)"])
        let status = await engine.run(request, observer: ObserverGroup([recorder, observer]), control: control)
        do {
            try await recorder.close()
            if let reason = control.reason, status == .cancelled {
                try store.recordRunReason(run.id, reason: reason)
            }
        } catch {
            logger.error("cannot record the end of the run: \(error)", metadata: ["run": "\(run.id)"])
        }
        metrics.runFinished(run.workflow, status)
        return status
    }

    func recordCancelled(_ run: RunID, reason: String) async {
        pending.withLock { $0[run] = nil }
        do {
            try store.recordQueuedRunCancelled(run, reason: reason, at: factory.now())
        } catch {
            logger.error("cannot record a queued run cancelled: \(error)", metadata: ["run": "\(run)"])
        }
        if let workflow = try? store.run(run.rawValue)?.workflow { metrics.runFinished(workflow, .cancelled) }
    }

    func recordAbandoned(_ run: RunID, reason: String) async {
        pending.withLock { $0[run] = nil }
        do {
            try store.recordRunInterrupted(run, reason: reason, at: factory.now())
        } catch {
            logger.error("cannot record a queued run interrupted: \(error)", metadata: ["run": "\(run)"])
        }
    }
}
