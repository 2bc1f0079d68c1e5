import FlowCore
import Foundation

/// A step run ready to execute: everything rendered.
struct PreparedStep: Sendable {
    var unit: StepID
    var work: AttemptWork
    var timeout: Duration?
    var retry: RetryPolicy
    /// Where a process step writes `name=value` outputs; `.N` is appended per attempt.
    var outputFile: String?
}

struct PreparationError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension Engine {
    /// Renders a step run's script or inputs, environment and folder for attempt `attempt`
    /// (what `run.attempt` reads).
    /// - Throws: `ExpressionError` or `PreparationError` with a message for the step's log.
    func prepare(
        _ step: Step, unit: RunPlan.Unit, index u: Int, plan: RunPlan, request: RunRequest,
        context: ContextBuilder, outputsFolder: String, attempt: Int = 1
    ) throws -> PreparedStep {
        var context = context
        context.attempt = attempt
        let workflow = request.workflow
        if let error = context.environmentError { throw PreparationError(message: error) }
        var environment = request.baseEnvironment
        for (name, value) in context.workflowEnvironment { environment[name] = value }
        var stepEnvironment: [String: String] = [:]
        for entry in step.env {
            stepEnvironment[entry.name] = try context.render(entry.value.value, unit: u, plan: plan, stepEnvironment: stepEnvironment)
        }
        for (name, value) in stepEnvironment { environment[name] = value }
        for (name, value) in unit.matrix {
            environment["FLOW_MATRIX_" + name.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()] =
                value.renderedString
        }
        let safeName = unit.id.rawValue.map { $0 == "/" || $0 == " " ? "_" : String($0) }.joined()
        let outputFile = outputsFolder + "/" + safeName
        environment["FLOW_RUN_ID"] = request.id.rawValue
        environment["FLOW_WORKFLOW"] = workflow.name.rawValue
        environment["FLOW_STEP_ID"] = unit.id.rawValue
        environment["FLOW_WORKSPACE"] = request.workspace
        environment["FLOW_TRIGGER"] = request.trigger.rawValue

        let folder = Self.resolve(step.workingDirectory ?? workflow.defaults.workingDirectory, against: request.baseDirectory)
        let timeout = step.timeout ?? workflow.defaults.timeout
        let retry = step.retry ?? workflow.defaults.retry ?? RetryPolicy(attempts: 1)

        switch step.action {
        case .run(let script):
            let template = try Template.parse(script.value)
            var text = script.value
            let shell = step.shell ?? workflow.defaults.shell
            let customShell = shell.map(ShellCommand.takesScriptFile) ?? false
            if !template.isLiteral {
                let expressionContext = context.context(for: u, plan: plan, stepEnvironment: stepEnvironment)
                if customShell {
                    // Another language (python3 {0}, perl {0}) does not expand `${FLOW_EXPR_n}`:
                    // values are written into the script as text, as GitHub Actions does — in
                    // such a script, quoting them is the author's business.
                    text = try template.render(in: expressionContext)
                } else {
                    let prepared = try ShellSubstitution.prepare(template, in: expressionContext)
                    text = prepared.script
                    for (name, value) in prepared.environment { environment[name] = value }
                }
            }
            var scriptPath: String?
            if customShell {
                // As GitHub Actions does for a custom shell: `{0}` names a file holding the script.
                let folder = request.workspace + "/.flow/scripts"
                let path = folder + "/" + safeName
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                } catch {
                    throw PreparationError(message: "cannot write the script file \(path): \(error.localizedDescription)")
                }
                scriptPath = path
            }
            let arguments = ShellCommand.arguments(for: text, shell: shell, scriptPath: scriptPath)
            return PreparedStep(
                unit: unit.id, work: .process(arguments: arguments, environment: environment, workingDirectory: folder),
                timeout: timeout, retry: retry, outputFile: outputFile)
        case .uses(let kind, let with):
            guard let executor = executors[kind.value] else {
                throw PreparationError(message: "unknown step kind '\(kind.value)'")
            }
            let expressionContext = context.context(for: u, plan: plan, stepEnvironment: stepEnvironment)
            var inputs: [String: ExpressionValue] = [:]
            for (name, value) in with { inputs[name] = try context.evaluate(value, context: expressionContext) }
            for input in executor.spec.inputs where inputs[input.name] == nil {
                if let value = input.defaultValue { inputs[input.name] = value }
            }
            let invocation = StepInvocation(
                runID: request.id, workflow: workflow.name, stepID: unit.id, attempt: 1, inputs: inputs,
                environment: environment, workspace: request.workspace, workingDirectory: folder, log: .discarding,
                databasePath: request.databasePath)
            return PreparedStep(unit: unit.id, work: .builtin(executor, invocation), timeout: timeout, retry: retry, outputFile: nil)
        }
    }

    /// `path` made absolute against `base` (nil → `base`).
    static func resolve(_ path: String?, against base: String) -> String {
        guard let path, !path.isEmpty else { return base }
        if path.hasPrefix("/") { return path }
        return base.hasSuffix("/") ? base + path : base + "/" + path
    }

    /// Runs a prepared step's attempts with retries; returns the last attempt's result and
    /// the number of attempts made. Attempts after the first are prepared again with
    /// `reprepare(attempt)`, so that `run.attempt` reads their number.
    func execute(
        _ first: PreparedStep, reprepare: @Sendable (Int) throws -> PreparedStep, level: Int, control: RunControl,
        masker: SecretMasker, observer: any RunObserver, executor: (any TaskExecutor)?
    ) async -> (AttemptResult, Int) {
        var attempt = 0
        var prepared = first
        while true {
            attempt += 1
            let number = attempt
            if number > 1 {
                do {
                    prepared = try reprepare(number)
                } catch {
                    // The first attempt rendered the same templates; only a context change can
                    // get here.
                    let reason = masker.mask(error.message)
                    observer.handle(.stepStarted(prepared.unit, attempt: number, pid: nil, at: now()))
                    let outcome = StepOutcome.failed(exitCode: nil, signal: nil, reason: reason)
                    observer.handle(.attemptFinished(prepared.unit, attempt: number, outcome: outcome, willRetry: false, at: now()))
                    return (AttemptResult(outcome: outcome, retryable: false), number)
                }
            }
            let unit = prepared.unit
            let now = self.now
            let log = StepLog { stream, bytes, continued in
                observer.handle(
                    .stepOutput(unit, attempt: number, stream: stream, bytes: masker.mask(bytes), continued: continued, at: now()))
            }
            var work = prepared.work
            var outputPath: String?
            switch work {
            case .process(let arguments, var environment, let folder):
                let path = prepared.outputFile.map { "\($0).\(number)" }
                if let path { environment["FLOW_OUTPUT"] = path }
                environment["FLOW_ATTEMPT"] = String(number)
                outputPath = path
                work = .process(arguments: arguments, environment: environment, workingDirectory: folder)
            case .builtin(let executor, var invocation):
                invocation.attempt = number
                invocation.log = log
                work = .builtin(executor, invocation)
            }
            let started: @Sendable (Int32?) -> Void = { pid in
                observer.handle(.stepStarted(unit, attempt: number, pid: pid, at: now()))
            }
            let runner = self.runner
            let timeout = prepared.timeout
            let finalWork = work
            var result = await control.run(untilLevelAbove: level, on: executor) {
                await runner.run(finalWork, timeout: timeout, log: log, started: started)
            }
            // Most steps write no outputs: one access(2) instead of a failed read and an unlink.
            if let outputPath, access(outputPath, F_OK) == 0 {
                if result.outcome.isSuccess {
                    do {
                        result.outputs.merge(try Self.readOutputs(outputPath).mapValues(masker.mask)) { $1 }
                    } catch {
                        result.outcome = .failed(exitCode: nil, signal: nil, reason: "\(error)")
                        log.write("error: \(error)")
                    }
                }
                unlink(outputPath)
            }
            if case .failed(_, _, let reason?) = result.outcome, case .builtin = work {
                log.write("error: \(masker.mask(reason))")
            }
            let retry =
                !result.outcome.isSuccess && result.outcome != .cancelled && result.retryable
                && attempt < prepared.retry.attempts && control.level <= level
            observer.handle(.attemptFinished(unit, attempt: number, outcome: result.outcome, willRetry: retry, at: now()))
            guard retry else { return (result, attempt) }
            let delay = prepared.retry.delay(after: attempt)
            if delay > .zero {
                let clock = self.clock
                let slept = await control.run(untilLevelAbove: level, on: executor) { () async -> Bool in
                    (try? await clock.sleep(for: delay, tolerance: nil)) != nil
                }
                if !slept { return (AttemptResult(outcome: .cancelled), attempt) }
            }
        }
    }

    /// Reads a `$FLOW_OUTPUT` file (a missing file means no outputs).
    static func readOutputs(_ path: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        return try OutputFile.parse(String(decoding: data, as: UTF8.self))
    }
}
