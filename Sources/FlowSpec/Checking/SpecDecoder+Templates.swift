import FlowCore
import Yams

extension SpecDecoder {
    /// The contexts an expression may name (`run` holds `runKeys`).
    static let contextNames = ["params", "env", "secrets", "steps", "run", "matrix"]

    /// Checks every `${{ }}` site once the workflow and its graph are known: syntax at the
    /// exact column, unknown contexts, params, secrets, steps, outputs and matrix dimensions,
    /// and `steps.X` read by a step that does not (indirectly) need X.
    mutating func checkTemplates(_ workflow: Workflow, graph: WorkflowGraph) {
        guard !templates.isEmpty else { return }
        let names = ReferenceNames(workflow: workflow)
        var closure: DependencyClosure?
        for site in templates {
            var references: [ExpressionReference] = []
            var errors: [ExpressionError] = []
            if site.isCondition {
                do throws(ExpressionError) {
                    references = try Condition.references(in: site.text)
                } catch {
                    errors = [error]
                }
            } else {
                // Every `${{ }}` of the text on its own: one that does not parse does not hide
                // the problems of the others.
                let parsed = Template.parseAll(site.text)
                references = parsed.template.references
                errors = parsed.errors
            }
            for error in errors {
                report(
                    .expressionSyntax, "invalid expression: \(error.message)", at: site.node,
                    offset: error.offset, length: error.length)
            }
            for reference in references {
                if case .step = site.scope, reference.path.first?.lowercased() == "steps", closure == nil {
                    closure = DependencyClosure(graph)
                }
                check(reference, at: site, workflow: workflow, graph: graph, names: names, closure: closure)
            }
        }
    }

    private mutating func check(
        _ reference: ExpressionReference, at site: TemplateSite, workflow: Workflow, graph: WorkflowGraph,
        names: ReferenceNames, closure: DependencyClosure?
    ) {
        let path = reference.path
        guard let context = path.first else { return }
        func flag(_ code: Diagnostic.Code, _ message: String, hint: String? = nil) {
            report(code, message, at: site.node, hint: hint, offset: reference.offset, length: reference.length)
        }
        let contextName = context.lowercased()
        guard Self.contextNames.contains(contextName) else {
            let hint =
                Suggestion.closest(to: context, in: Self.contextNames).map { "did you mean '\($0)'?" }
                ?? "contexts: " + Self.contextNames.joined(separator: ", ")
            flag(.unknownContext, "unknown context '\(context)'", hint: hint)
            return
        }
        let allowed: [String]
        let placeName: String
        switch site.scope {
        case .paramDefault:
            allowed = ["env", "run"]
            placeName = "a param default"
        case .workflowEnv:
            allowed = ["params", "env", "secrets", "run"]
            placeName = "the workflow's 'env'"
        case .step:
            allowed = Self.contextNames
            placeName = ""
        }
        guard allowed.contains(contextName) else {
            let hint =
                contextName == "steps" || contextName == "matrix"
                ? "read it in a step's own 'env' instead" : nil
            flag(
                .contextNotAllowed,
                "'\(contextName)' cannot be read in \(placeName); only " + Self.list(allowed) + " can", hint: hint)
            return
        }
        guard path.count >= 2 else { return }
        let name = path[1]
        switch contextName {
        case "params":
            if names.param(name) == nil {
                let hint =
                    Suggestion.closest(to: name, in: workflow.params.map(\.name)).map { "did you mean '\($0)'?" }
                    ?? (workflow.params.isEmpty ? "declare it under 'params:'" : nil)
                flag(.unknownParam, "unknown param '\(name)'", hint: hint)
            }
        case "secrets":
            if names.secret(name) == nil {
                let hint =
                    Suggestion.closest(to: name, in: workflow.secrets.map(\.name)).map { "did you mean '\($0)'?" }
                    ?? "declare it under 'secrets:'"
                flag(.unknownSecret, "unknown secret '\(name)'", hint: hint)
            }
        case "matrix":
            guard case .step(let index, _) = site.scope else { return }
            let dimensions = stepFacts[index].dimensions
            if !dimensions.contains(where: { $0.lowercased() == name.lowercased() }) {
                let id = workflow.steps[index].id
                if workflow.steps[index].matrix == nil {
                    flag(.unknownDimension, "step '\(id)' has no matrix, so 'matrix.\(name)' is unknown")
                } else {
                    let hint = Suggestion.closest(to: name, in: dimensions.sorted()).map { "did you mean '\($0)'?" }
                    flag(.unknownDimension, "step '\(id)' has no matrix dimension '\(name)'", hint: hint)
                }
            }
        case "steps":
            guard case .step(let index, let field) = site.scope else { return }
            let reader = workflow.steps[index].id
            guard let target = names.step(name) else {
                let hint = Suggestion.closest(to: name, in: graph.ids.map(\.rawValue)).map { "did you mean '\($0)'?" }
                flag(.unknownStep, "unknown step '\(name)' in 'steps.\(name)'", hint: hint)
                return
            }
            let targetID = graph.ids[target]
            let shown = "steps." + path.dropFirst().prefix(2).joined(separator: ".")
            if target == index {
                if field != .outputs {
                    flag(
                        .selfReference, "step '\(reader)' reads its own \(shown)",
                        hint: "a step's outputs exist only after it ran; read them in its 'outputs:' or in a later step")
                    return
                }
            } else if closure?.contains(target, in: index) == false {
                flag(
                    .missingNeed, "step '\(reader)' reads \(shown) but does not need '\(targetID)'",
                    hint: "add '\(targetID)' to its 'needs'")
                return
            }
            guard path.count >= 3 else { return }
            let property = path[2].lowercased()
            guard property == "outputs" || property == "result" else {
                let hint =
                    Suggestion.closest(to: path[2], in: ["outputs", "result"]).map { "did you mean '\($0)'?" }
                    ?? "a step has 'outputs' and 'result'"
                flag(.unknownProperty, "unknown property '\(path[2])' of 'steps.\(name)'", hint: hint)
                return
            }
            guard property == "outputs", path.count >= 4, let kind = stepFacts[target].kind else { return }
            // A `run` step may set any output through $FLOW_OUTPUT; a `uses` step has its
            // kind's outputs and those it declares.
            let output = path[3]
            let declared = kind.outputs.map(\.name) + workflow.steps[target].outputs.keys.sorted()
            if !declared.contains(where: { $0.lowercased() == output.lowercased() }) {
                let hint =
                    Suggestion.closest(to: output, in: declared).map { "did you mean '\($0)'?" }
                    ?? (declared.isEmpty ? "'\(kind.name)' has no outputs" : "outputs: " + declared.joined(separator: ", "))
                flag(.unknownOutput, "step '\(targetID)' (kind '\(kind.name)') has no output '\(output)'", hint: hint)
            }
        case "run":
            guard !Self.runKeys.contains(name.lowercased()) else { return }
            let hint =
                Suggestion.closest(to: name, in: Self.runKeys).map { "did you mean '\($0)'?" }
                ?? "'run' has " + Self.list(Self.runKeys.map { "'\($0)'" })
            flag(.unknownProperty, "unknown property '\(name)' of 'run'", hint: hint)
        default:
            break
        }
    }

    /// The keys of the `run` context, as the engine's `ContextBuilder` fills them
    /// (`scheduled_for` is empty for a run that no schedule fired; `attempt` is the step's
    /// attempt, 1-based).
    static let runKeys = ["id", "workflow", "trigger", "workspace", "scheduled_for", "attempt"]

    /// "a, b and c".
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
