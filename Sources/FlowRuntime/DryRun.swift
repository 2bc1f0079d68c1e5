import FlowCore
import FlowEngine

/// What `flow run --dry-run` prints: the order step runs would start in (file order among
/// those ready at once, one at a time), their scripts or inputs, and the parameters, with
/// secrets shown as `***`.
///
/// A `run:` script is shown as the shell will get it: each `${{ }}` replaced by a reference to
/// its `FLOW_EXPR_<n>` variable (`ShellSubstitution`), then those variables with their values.
/// `with:` inputs are resolved at every depth, as the engine does, and printed as YAML. Values
/// that read step outputs are shown as their expression: they exist only during a run.
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
                let shell = step.shell ?? workflow.defaults.shell
                // A custom shell (python3 {0}) gets values written into its script, as the
                // engine does; sh and bash get FLOW_EXPR_<n> variables.
                let (text, variables) =
                    shell.map(ShellCommand.takesScriptFile) == true
                    ? (renderedScript(script.value, unitValues), []) : shellScript(script.value, unitValues)
                let lines = masker.mask(text).split(separator: "\n", omittingEmptySubsequences: false)
                out += "     run: " + lines.joined(separator: "\n          ") + "\n"
                if !variables.isEmpty {
                    out += "     with environment:\n"
                    for (name, value) in variables { out += "       \(name)=\(masker.mask(value))\n" }
                }
            case .uses(let kind, let with):
                out += "     uses: \(kind.value)\n"
                for (name, value) in with.sorted(by: { $0.key < $1.key }) {
                    out += yaml(name, resolve(value, unitValues), masker: masker, indent: "       ")
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

    /// A `run:` script as the shell gets it, and its `FLOW_EXPR_<n>` variables as
    /// `name=value` (a value with a line break shown JSON-quoted); a value that reads step
    /// outputs is shown as its `${{ }}`. A script that does not prepare is shown as written.
    static func shellScript(_ text: String, _ values: [String: ExpressionValue]) -> (String, [(String, String)]) {
        guard let template = try? Template.parse(text), !template.isLiteral else { return (text, []) }
        let sources = template.segments.compactMap { segment -> (String, Bool)? in
            guard case .expression(let expression, let offset, let length) = segment else { return nil }
            let scalars = text.unicodeScalars
            let start = scalars.index(scalars.startIndex, offsetBy: offset)
            let source = String(scalars[start..<scalars.index(start, offsetBy: length)])
            return (source, expression.references.contains { $0.path.first?.lowercased() == "steps" })
        }
        let context = ExpressionContext(values: values, status: .init(anyFailed: false, cancelled: false))
        guard let prepared = try? ShellSubstitution.prepare(template, in: context) else { return (text, []) }
        let variables = prepared.environment.enumerated().map { index, variable in
            let readsSteps = index < sources.count && sources[index].1
            let value =
                readsSteps
                ? sources[index].0 + " (known when the step runs)"
                : variable.value.contains("\n") ? ExpressionValue.string(variable.value).json : variable.value
            return (variable.name, value)
        }
        return (prepared.script, variables)
    }

    /// A custom shell's script with its values written in; a value that reads step outputs
    /// stays as its `${{ }}`, and a script that does not render is shown as written.
    static func renderedScript(_ text: String, _ values: [String: ExpressionValue]) -> String {
        guard let (template, context) = knownNow(text, values) else { return text }
        return (try? template.render(in: context)) ?? text
    }

    /// `text` as a template and the context to render it in, when it holds `${{ }}` that can
    /// be rendered before the run (none reads step outputs); else nil.
    private static func knownNow(_ text: String, _ values: [String: ExpressionValue]) -> (Template, ExpressionContext)? {
        guard let template = try? Template.parse(text), !template.isLiteral,
            !template.references.contains(where: { $0.path.first?.lowercased() == "steps" })
        else { return nil }
        return (template, ExpressionContext(values: values, status: .init(anyFailed: false, cancelled: false)))
    }

    /// A `with:` value resolved as the engine does (`ContextBuilder.evaluate`): strings are
    /// templates, and one that is a single `${{ }}` keeps its value's type; lists and mappings
    /// are resolved item by item. A string that reads step outputs stays as written.
    static func resolve(_ value: ExpressionValue, _ values: [String: ExpressionValue]) -> ExpressionValue {
        switch value {
        case .string(let text):
            guard let (template, context) = knownNow(text, values) else { return value }
            return (try? template.evaluate(in: context)) ?? value
        case .array(let items):
            return .array(items.map { resolve($0, values) })
        case .object(let fields):
            return .object(fields.mapValues { resolve($0, values) })
        default:
            return value
        }
    }

    /// `name: value` as block YAML at `indent`: scalars on the line, lists as `- item` lines and
    /// mappings as `key: value` lines (keys sorted), two spaces deeper; text that YAML would
    /// read differently (empty, a line break, a leading or trailing space, `: `, ` #`, a YAML
    /// indicator first, or text the YAML 1.2 core schema reads as a number, boolean or null) is
    /// JSON-quoted, which YAML reads as a double-quoted string.
    static func yaml(_ name: String, _ value: ExpressionValue, masker: SecretMasker, indent: String) -> String {
        if let body = block(value, masker: masker, indent: indent + "  ") { return "\(indent)\(name):\n" + body }
        return "\(indent)\(name): \(scalar(value, masker: masker))\n"
    }

    /// The lines of a non-empty list (`- item`) or mapping (`key: value`) at `indent`; nil for
    /// anything else. A list item that is itself a list or mapping starts on the `- ` line.
    static func block(_ value: ExpressionValue, masker: SecretMasker, indent: String) -> String? {
        switch value {
        case .array(let items) where !items.isEmpty:
            return items.map { item in
                guard let inner = block(item, masker: masker, indent: indent + "  ") else {
                    return "\(indent)- \(scalar(item, masker: masker))\n"
                }
                return indent + "- " + inner.dropFirst(indent.count + 2)
            }.joined()
        case .object(let fields) where !fields.isEmpty:
            return fields.sorted { $0.key < $1.key }.map { yaml($0.key, $0.value, masker: masker, indent: indent) }.joined()
        default:
            return nil
        }
    }

    /// One value as YAML text on a single line (empty lists and mappings as `[]` and `{}`).
    static func scalar(_ value: ExpressionValue, masker: SecretMasker) -> String {
        switch value {
        case .string(let text):
            let masked = masker.mask(text)
            let plain =
                !masked.isEmpty && !masked.contains("\n") && !masked.contains(": ") && !masked.contains(" #")
                && masked.first != " " && masked.last != " " && !"-?:,[]{}#&*!|>'\"%@`".contains(masked.first!)
                && masked.last != ":" && Double(masked) == nil
                && !["true", "false", "null", "~", "True", "False", "TRUE", "FALSE", "Null", "NULL"].contains(masked)
            return plain ? masked : ExpressionValue.string(masked).json
        case .array: return "[]"
        case .object: return "{}"
        default: return masker.mask(value.renderedString)
        }
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
