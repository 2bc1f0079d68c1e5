public import FlowCore
public import Foundation

/// Executes runs: walks a `RunPlan` with at most `concurrency` step runs at once (one child
/// task each, in one task group), evaluates `if:`, renders templates, retries with backoff,
/// and reports every event to an observer. Steps are processes or built-in kinds, executed
/// by `runner`.
public struct Engine: Sendable {
    public var runner: any AttemptRunner
    public var executors: StepExecutorSet
    /// Elapsed time for retry delays (tests pass a manual clock).
    public var clock: any Clock<Duration>
    /// Wall-clock time for records.
    public var now: @Sendable () -> Date
    /// Concurrency when the workflow sets none.
    public var defaultConcurrency: Int

    public init(
        runner: any AttemptRunner, executors: StepExecutorSet = StepExecutorSet(),
        clock: any Clock<Duration> = ContinuousClock(), now: @escaping @Sendable () -> Date = { Date() },
        defaultConcurrency: Int = max(2, ProcessInfo.processInfo.activeProcessorCount)
    ) {
        self.runner = runner
        self.executors = executors
        self.clock = clock
        self.now = now
        self.defaultConcurrency = defaultConcurrency
    }

    /// Runs `request` to its end and returns the run's final status. Never throws: a step's
    /// failure is an outcome; an expression that fails at run time fails its step.
    /// `control` cancels the run from outside (first request: running steps stop, `always()`
    /// steps still run; second: everything stops).
    ///
    /// The run's bookkeeping and process supervision happen on an `EventLoop` thread, which
    /// also waits for the processes (a step's end wakes that one thread): the process's shared
    /// loop, or a private one while another run uses that (`EventLoop.lease()`); built-in kinds
    /// run on the global executor.
    public func run(_ request: RunRequest, observer: any RunObserver, control: RunControl = RunControl()) async -> RunStatus {
        guard let loop = EventLoop.lease() else {
            // No loop (out of descriptors or threads): every process step fails to start and
            // says so; the bookkeeping runs wherever the caller's task does.
            return await walk(request, observer: observer, control: control, executor: nil)
        }
        defer { EventLoop.release(loop) }
        return await EventLoop.$current.withValue(loop) {
            await withTaskExecutorPreference(loop) {
                await walk(request, observer: observer, control: control, executor: loop)
            }
        }
    }

    private func walk(
        _ request: RunRequest, observer: any RunObserver, control: RunControl, executor: (any TaskExecutor)?
    ) async -> RunStatus {
        let workflow = request.workflow
        let (graph, _) = WorkflowGraph.build(workflow.steps)
        var plan = RunPlan(workflow: workflow, graph: graph)
        let masker = SecretMasker(secrets: request.secrets.values)
        let outputsFolder = request.workspace + "/.flow/outputs"
        try? FileManager.default.createDirectory(atPath: outputsFolder, withIntermediateDirectories: true)
        observer.handle(.runStarted(request.id, at: now()))

        var context = ContextBuilder(request: request, plan: plan)
        let limit = max(1, workflow.concurrency ?? defaultConcurrency)
        var running = 0

        await withTaskGroup(of: (Int, AttemptResult, Int).self) { group in
            while true {
                // Start everything that is ready, up to the limit.
                while running < limit, let u = plan.nextReady() {
                    if control.level > 0, !plan.cancelled { plan.cancel() }
                    let unit = plan.units[u]
                    if let reused = request.reused[unit.id] {
                        plan.finish(u, reused.outcome)
                        context.record(u, reused.outcome, outputs: reused.outputs)
                        continue
                    }
                    let step = workflow.steps[unit.stepIndex]
                    switch decide(step, unit: u, plan: plan, context: context) {
                    case .run:
                        break
                    case .skip(let outcome):
                        plan.finish(u, outcome)
                        context.record(u, outcome, outputs: [:])
                        observer.handle(.stepFinished(unit.id, outcome: outcome, tolerated: false, outputs: [:], attempts: 0, at: now()))
                        continue
                    }
                    let prepared: PreparedStep
                    do {
                        prepared = try prepare(
                            step, unit: unit, index: u, plan: plan, request: request, context: context, outputsFolder: outputsFolder)
                    } catch {
                        let outcome = StepOutcome.failed(exitCode: nil, signal: nil, reason: masker.mask(error.message))
                        observer.handle(.stepStarted(unit.id, attempt: 1, pid: nil, at: now()))
                        observer.handle(
                            .stepOutput(
                                unit.id, attempt: 1, stream: .system, bytes: Array(masker.mask("error: \(error.message)").utf8),
                                continued: false, at: now()))
                        observer.handle(.attemptFinished(unit.id, attempt: 1, outcome: outcome, willRetry: false, at: now()))
                        let tolerated = step.continueOnError
                        plan.finish(u, outcome, tolerated: tolerated)
                        context.record(u, outcome, outputs: [:])
                        observer.handle(
                            .stepFinished(unit.id, outcome: outcome, tolerated: tolerated, outputs: [:], attempts: 1, at: now()))
                        continue
                    }
                    plan.start(u)
                    running += 1
                    let level = control.level
                    // Retries render the step again (for `run.attempt`) from a snapshot of the
                    // plan and contexts; only steps that may retry hold one (a snapshot makes the
                    // loop's next change to them copy their storage).
                    let reprepare: @Sendable (Int) throws -> PreparedStep
                    if prepared.retry.attempts > 1 {
                        let (snapshotPlan, snapshotContext) = (plan, context)
                        reprepare = { attempt in
                            try self.prepare(
                                step, unit: unit, index: u, plan: snapshotPlan, request: request, context: snapshotContext,
                                outputsFolder: outputsFolder, attempt: attempt)
                        }
                    } else {
                        reprepare = { _ in prepared }
                    }
                    group.addTask {
                        let (result, attempts) = await self.execute(
                            prepared, reprepare: reprepare, level: level, control: control, masker: masker, observer: observer,
                            executor: executor)
                        return (u, result, attempts)
                    }
                }
                guard let (u, result, attempts) = await group.next() else { break }
                running -= 1
                let unit = plan.units[u]
                let step = workflow.steps[unit.stepIndex]
                var outcome = result.outcome
                var outputs = result.outputs
                if outcome.isSuccess, !step.outputs.isEmpty {
                    context.record(u, outcome, outputs: outputs)
                    do {
                        for (name, template) in step.outputs.sorted(by: { $0.key < $1.key }) {
                            outputs[name] = masker.mask(try context.render(template.value, unit: u, plan: plan))
                        }
                    } catch {
                        outcome = .failed(exitCode: nil, signal: nil, reason: masker.mask(error.message))
                    }
                }
                let tolerated = step.continueOnError && !outcome.isSuccess && outcome != .cancelled
                plan.finish(u, outcome, tolerated: tolerated)
                context.record(u, outcome, outputs: outputs)
                observer.handle(
                    .stepFinished(unit.id, outcome: outcome, tolerated: tolerated, outputs: outputs, attempts: attempts, at: now()))
                if control.level > 0, !plan.cancelled { plan.cancel() }
            }
        }
        let status = control.level > 0 ? RunStatus.cancelled : plan.runStatus
        observer.handle(.runFinished(request.id, status: status, at: now()))
        return status
    }

    enum Decision {
        case run
        case skip(StepOutcome)
    }

    /// Evaluates `if:` with GitHub's rules: no condition means `success()`; a condition that
    /// calls no status function is `success() && (condition)`. After a cancel, steps whose
    /// condition does not opt in are recorded as cancelled.
    func decide(_ step: Step, unit u: Int, plan: RunPlan, context: ContextBuilder) -> Decision {
        let status = plan.status(for: u)
        guard let condition = step.condition else {
            if status.cancelled { return .skip(.cancelled) }
            return status.success ? .run : .skip(.skipped(reason: "a step it needs did not succeed"))
        }
        do {
            let expression = try Condition.parse(condition.value)
            if !expression.callsStatusFunction {
                if status.cancelled { return .skip(.cancelled) }
                if !status.success { return .skip(.skipped(reason: "a step it needs did not succeed")) }
            }
            let value = try expression.evaluate(in: context.context(for: u, plan: plan))
            if value.isTruthy { return .run }
            return status.cancelled && !expression.callsStatusFunction
                ? .skip(.cancelled) : .skip(.skipped(reason: "if: \(condition.value) was false"))
        } catch {
            return .skip(.failed(exitCode: nil, signal: nil, reason: "if: \(error.message)"))
        }
    }
}

extension Error {
    /// The text to show a user for an error met while preparing a step.
    var message: String {
        if let e = self as? ExpressionError { return e.message }
        return "\(self)"
    }
}
