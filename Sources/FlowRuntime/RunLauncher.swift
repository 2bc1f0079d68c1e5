public import FlowCore
public import FlowEngine
public import FlowSpec
public import FlowStore
public import Foundation

/// A run that passed every check and can start: the validated workflow, typed parameters,
/// secret values and the record to create.
public struct PreparedRun: Sendable {
    public var request: RunRequest
    public var record: Run
    /// Step runs to copy from the run being retried (status and outputs).
    public var reusedRecords: [StepID: StepRun]
    /// Warnings from validation, to show before the run.
    public var warnings: [Diagnostic]
    /// Source text by file, for rendering the warnings.
    public var sources: [String: String]
}

/// Starts and records runs: loads and validates the workflow, resolves parameters and
/// secrets, creates the run record, executes it with the engine, and records every event.
/// Shared by `flow run`, `flow retry`, the daemon and the HTTP API.
public struct RunLauncher: Sendable {
    public var project: Project
    /// The run database; nil for a launcher that only prepares (dry runs).
    public var store: RunStore?
    public var engine: Engine
    public var loader: WorkflowLoader
    public var environment: [String: String]
    public var now: @Sendable () -> Date

    public init(
        project: Project, store: RunStore?, engine: Engine, loader: WorkflowLoader,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.project = project
        self.store = store
        self.engine = engine
        self.loader = loader
        self.environment = environment
        self.now = now
    }

    func requireStore() throws(RuntimeError) -> RunStore {
        guard let store else { throw RuntimeError(.database, "no run database is open") }
        return store
    }

    /// Loads and validates the workflow in `file`.
    /// - Throws: `.invalidWorkflow` with every diagnostic and the source text.
    public func load(_ file: String) throws(RuntimeError) -> (Workflow, [Diagnostic], [String: String]) {
        let display = project.display(file)
        var text = ""
        do {
            text = try WorkflowLoader.readText(atPath: file, display: display)
            let (workflow, warnings) = try loader.load(text: text, file: display)
            return (workflow, warnings, [display: text])
        } catch {
            throw RuntimeError(
                .invalidWorkflow, "\(display) is not a valid workflow", diagnostics: error.diagnostics, sources: [display: text])
        }
    }

    /// Checks everything a run needs before anything is recorded.
    /// - Parameters:
    ///   - file: the workflow file (absolute, or relative to the current folder).
    ///   - params: values as text, by name.
    /// - Throws: `RuntimeError` (`.invalidWorkflow`, `.invalidParams`, `.missingSecret`).
    public func prepare(
        file: String, params: [String: String], trigger: RunTrigger, scheduledFor: Date? = nil,
        scheduleKey: String? = nil
    ) throws(RuntimeError) -> PreparedRun {
        let (workflow, warnings, sources) = try load(file)
        let (request, record) = try RunPreparer(project: project, environment: environment, now: now).prepare(
            workflow, file: file, params: params, trigger: trigger, scheduledFor: scheduledFor, scheduleKey: scheduleKey)
        return PreparedRun(request: request, record: record, reusedRecords: [:], warnings: warnings, sources: sources)
    }

    /// Prepares a new run that runs again only what did not succeed in run `id` (failed,
    /// skipped, cancelled, timed out, interrupted or never started), in the same workspace,
    /// with the same parameters, reusing the outputs of the step runs that succeeded.
    /// - Throws: `.runNotFound`; `.notRetryable` for a run still going or one that succeeded.
    public func prepareRetry(of id: String) throws(RuntimeError) -> PreparedRun {
        let store = try requireStore()
        let old = try RunLookup.find(id, in: store)
        guard old.status.isFinal else {
            throw RuntimeError(.notRetryable, "run \(old.id) is still \(old.status.rawValue); cancel it first (flow cancel \(old.id))")
        }
        guard old.status != .succeeded else {
            throw RuntimeError(
                .notRetryable, "run \(old.id) succeeded; there is nothing to retry (start a new run with flow run \(old.workflow))")
        }
        let file = old.workflowFile.map { $0.hasPrefix("/") ? $0 : project.root + "/" + $0 } ?? ""
        var prepared = try prepare(file: file, params: old.params, trigger: .retry)
        let steps: [StepRun]
        do { steps = try store.stepRuns(old.id) } catch { throw RuntimeError(error) }
        var reused: [StepID: StepRun] = [:]
        for step in steps where step.status == .succeeded { reused[step.stepID] = step }
        prepared.reusedRecords = reused
        prepared.request.reused = reused.mapValues { (StepOutcome.succeeded, $0.outputs) }
        prepared.request.workspace = old.workspace
        prepared.record.workspace = old.workspace
        prepared.record.retryOf = old.id
        return prepared
    }

    /// Records the run, executes it, and records every event (batched), returning its final
    /// status once everything is written.
    /// - Throws: `.database` when the run cannot be recorded (then nothing ran), or when
    ///   recording failed during the run (the run itself went on).
    public func execute(_ prepared: PreparedRun, observers: [any RunObserver], control: RunControl = RunControl())
        async throws(RuntimeError) -> RunStatus
    {
        let store = try requireStore()
        let graph = WorkflowGraph.build(prepared.request.workflow.steps).0
        let plan = RunPlan(workflow: prepared.request.workflow, graph: graph)
        do {
            try store.createRun(prepared.record, steps: plan.units.map(\.id), reused: prepared.reusedRecords)
        } catch {
            throw RuntimeError(error)
        }
        try? FileManager.default.createDirectory(atPath: prepared.request.workspace, withIntermediateDirectories: true)
        let recorder = RunRecorder(store: store, run: prepared.record.id)
        let status = await engine.run(prepared.request, observer: ObserverGroup([recorder] + observers), control: control)
        do {
            try await recorder.close()
            if let reason = control.reason, status == .cancelled {
                try store.recordRunReason(prepared.record.id, reason: reason)
            }
        } catch {
            throw RuntimeError(error)
        }
        return status
    }
}
