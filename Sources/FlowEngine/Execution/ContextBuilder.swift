import FlowCore
import Foundation

/// Builds the expression contexts (`params`, `env`, `secrets`, `steps`, `run`, `matrix`) that
/// step runs see, updating `steps` as step runs finish. Contexts are built only for steps that
/// have templates, so a run of plain scripts pays nothing.
struct ContextBuilder {
    private var base: [String: ExpressionValue]
    /// Per step id: `{outputs: {...}, result: "success"|"failure"|"cancelled"|"skipped"}`.
    private var steps: [String: ExpressionValue] = [:]
    /// Per unit: how it ended, for the `result` of matrix steps.
    private var outcomes: [Int: StepOutcome] = [:]
    private let unitsByStep: [StepID: [Int]]
    private let units: [RunPlan.Unit]
    /// The workflow's `env:`, rendered once.
    private(set) var workflowEnvironment: [(String, String)] = []
    private(set) var environmentError: String?
    /// `run.attempt` in the contexts this builder makes (1-based).
    var attempt = 1

    init(request: RunRequest, plan: RunPlan) {
        unitsByStep = plan.unitsByStep
        units = plan.units
        var run: [String: ExpressionValue] = [
            "id": .string(request.id.rawValue),
            "workflow": .string(request.workflow.name.rawValue),
            "trigger": .string(request.trigger.rawValue),
            "workspace": .string(request.workspace),
        ]
        if let scheduled = request.scheduledFor {
            // RFC 3339 in UTC, whole seconds ("2026-01-01T03:00:00Z"). The format style, not
            // ISO8601DateFormatter: that one builds an ICU formatter on every run.
            run["scheduled_for"] = .string(scheduled.formatted(.iso8601))
        }
        base = [
            "params": .object(request.params),
            "secrets": .object(request.secrets.mapValues { .string($0) }),
            "run": .object(run),
            "steps": .object([:]),
            "matrix": .object([:]),
            "env": .object([:]),
        ]
        var env: [String: ExpressionValue] = [:]
        for entry in request.workflow.env {
            let context = ExpressionContext(
                values: base.merging(["env": .object(env)]) { $1 }, status: .init(anyFailed: false, cancelled: false))
            do {
                let value = try Template.parse(entry.value.value).render(in: context)
                workflowEnvironment.append((entry.name, value))
                env[entry.name] = .string(value)
            } catch {
                environmentError = "env.\(entry.name): \(error.message)"
            }
        }
        base["env"] = .object(env)
    }

    /// Records how unit `u` ended and what it output.
    mutating func record(_ u: Int, _ outcome: StepOutcome, outputs: [String: String]) {
        outcomes[u] = outcome
        let step = units[u].stepID
        let siblings = unitsByStep[step] ?? [u]
        var result = outcome.result
        var merged: [String: ExpressionValue] = [:]
        if siblings.count > 1 {
            // A matrix step: failure if any failed, else cancelled if any was, else skipped if
            // all were, else success. Outputs: each combination's, later ones winning.
            let results = siblings.compactMap { outcomes[$0]?.result }
            result =
                results.contains("failure")
                ? "failure"
                : results.contains("cancelled")
                    ? "cancelled"
                    : results.count == siblings.count && results.allSatisfy({ $0 == "skipped" }) ? "skipped" : "success"
            if case .object(let old)? = steps[step.rawValue], case .object(let o)? = old["outputs"] { merged = o }
        }
        for (k, v) in outputs { merged[k] = .string(v) }
        steps[step.rawValue] = .object(["outputs": .object(merged), "result": .string(result)])
    }

    /// The context unit `u` sees, with `env` extended by `stepEnvironment`; `run.attempt` is
    /// `attempt`.
    func context(for u: Int, plan: RunPlan, stepEnvironment: [String: String] = [:]) -> ExpressionContext {
        var values = base
        if case .object(var run)? = values["run"] {
            run["attempt"] = .number(Double(attempt))
            values["run"] = .object(run)
        }
        values["steps"] = .object(steps)
        values["matrix"] = .object(units[u].matrix)
        if !stepEnvironment.isEmpty, case .object(var env)? = values["env"] {
            for (k, v) in stepEnvironment { env[k] = .string(v) }
            values["env"] = .object(env)
        }
        let status = plan.status(for: u)
        return ExpressionContext(values: values, status: .init(anyFailed: status.failure, cancelled: status.cancelled))
    }

    /// Renders a template string for unit `u`.
    func render(_ text: String, unit u: Int, plan: RunPlan, stepEnvironment: [String: String] = [:]) throws -> String {
        let template = try Template.parse(text)
        if template.isLiteral { return text }
        return try template.render(in: context(for: u, plan: plan, stepEnvironment: stepEnvironment))
    }

    /// Evaluates a `with:` value: strings are templates (a string that is exactly one
    /// `${{ }}` keeps the value's type); lists and maps are evaluated element by element.
    func evaluate(_ value: ExpressionValue, context: ExpressionContext) throws -> ExpressionValue {
        switch value {
        case .string(let s):
            let template = try Template.parse(s)
            return template.isLiteral ? value : try template.evaluate(in: context)
        case .array(let items):
            return .array(try items.map { try evaluate($0, context: context) })
        case .object(let fields):
            return .object(try fields.mapValues { try evaluate($0, context: context) })
        default:
            return value
        }
    }
}
