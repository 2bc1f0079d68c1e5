import FlowCore
import FlowEngine

/// What `flow run --dry-run` prints: the order step runs would start in (file order among
/// those ready at once, one at a time), their resolved commands or inputs, and the
/// parameters, with secrets shown as `***`. Templates that read step outputs stay as
/// written: those values exist only during a run.
public enum DryRun {
    public static func describe(_ prepared: PreparedRun) -> String {
        let request = prepared.request
        let workflow = request.workflow
        let masker = SecretMasker(secrets: request.secrets.values)
        var out = "Workflow \(workflow.name) (\(prepared.record.workflowFile ?? "?")) — dry run, nothing is executed\n"
        if !request.params.isEmpty {
            out += "Parameters:\n"
            for (name, value) in request.params.sorted(by: { $0.key < $1.key }) {
                out += "  \(name) = \(masker.mask(value.renderedString))\n"
            }
        }
        let (graph, _) = WorkflowGraph.build(workflow.steps)
        var plan = RunPlan(workflow: workflow, graph: graph)
        var values: [String: ExpressionValue] = [
            "params": .object(request.params),
            "secrets": .object(request.secrets.mapValues { _ in .string("***") }),
            "steps": .object([:]),
            "matrix": .object([:]),
            "run": .object([
                "id": .string(request.id.rawValue), "workflow": .string(workflow.name.rawValue),
                "trigger": .string(request.trigger.rawValue), "workspace": .string(request.workspace),
            ]),
        ]
        var env: [String: ExpressionValue] = [:]
        for entry in workflow.env {
            values["env"] = .object(env)
            env[entry.name] = .string(render(entry.value.value, values) ?? entry.value.value)
        }
        values["env"] = .object(env)
        out +=
            "Plan (\(plan.units.count) step run\(plan.units.count == 1 ? "" : "s"), at most \(workflow.concurrency.map(String.init) ?? "one per core") at once):\n"
        var order = 0
        while let u = plan.nextReady() {
            order += 1
            let unit = plan.units[u]
            let step = workflow.steps[unit.stepIndex]
            var unitValues = values
            unitValues["matrix"] = .object(unit.matrix)
            var header = "\(order). \(unit.id)"
            if !step.needs.isEmpty { header += "  needs: " + step.dependencies.map(\.rawValue).joined(separator: ", ") }
            out += header + "\n"
            if let condition = step.condition { out += "     if: \(condition.value)\n" }
            switch step.action {
            case .run(let script):
                let text = masker.mask(render(script.value, unitValues) ?? script.value)
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                out += "     run: " + lines.joined(separator: "\n          ") + "\n"
            case .uses(let kind, let with):
                out += "     uses: \(kind.value)\n"
                for (name, value) in with.sorted(by: { $0.key < $1.key }) {
                    let text = value.stringValue.map { render($0, unitValues) ?? $0 } ?? value.json
                    out += "       \(name): \(masker.mask(text))\n"
                }
            }
            if let timeout = step.timeout ?? workflow.defaults.timeout { out += "     timeout: \(DurationText.format(timeout))\n" }
            if let retry = step.retry ?? workflow.defaults.retry, retry.attempts > 1 {
                out +=
                    "     retry: \(retry.attempts) attempts, \(retry.backoff.rawValue) backoff from \(DurationText.format(retry.delay))\n"
            }
            plan.finish(u, .succeeded)
        }
        return out
    }

    /// The rendered text, or nil when it reads step outputs or does not render.
    static func render(_ text: String, _ values: [String: ExpressionValue]) -> String? {
        guard let template = try? Template.parse(text) else { return nil }
        if template.isLiteral { return text }
        if template.references.contains(where: { $0.path.first == "steps" }) { return nil }
        let context = ExpressionContext(values: values, status: .init(anyFailed: false, cancelled: false))
        return try? template.render(in: context)
    }
}
