import FlowCore
import Yams

extension SpecDecoder {
    static let stepKeys = [
        "run", "uses", "with", "needs", "if", "env", "working-directory", "shell", "timeout", "retry",
        "continue-on-error", "outputs", "matrix",
    ]
    static let retryKeys = ["attempts", "backoff", "delay", "max_delay"]

    /// What decoding learnt about one step beyond the model, for the reference checks.
    struct StepFacts {
        /// The kind's spec for a `uses:` step whose kind is known.
        var kind: StepKindSpec?
        /// Matrix dimensions (and `include` keys) a `matrix.X` reference may name.
        var dimensions: Set<String> = []
    }

    /// `steps:` — a mapping from step id to step, in file order.
    mutating func decodeSteps(_ node: Node, key: Node) -> [Step] {
        guard case .mapping = node else {
            mismatch(
                "a mapping", for: "'steps'", found: node,
                hint: "steps are a mapping from step id to step, such as 'build: {run: make}'")
            return []
        }
        let list = entries(of: node, allowed: nil, context: "'steps'")
        if list.isEmpty {
            report(.noSteps, "the workflow has no steps", at: key)
            return []
        }
        var steps: [Step] = []
        steps.reserveCapacity(list.count)
        for entry in list {
            checkIdentifier(entry.key, at: entry.keyNode, what: "step id")
            steps.append(decodeStep(entry, index: steps.count))
        }
        return steps
    }

    private mutating func decodeStep(_ entry: Entry, index: Int) -> Step {
        let label = "step '\(entry.key)'"
        var step = Step(id: StepID(entry.key), location: location(entry.keyNode), action: .run(Located("")))
        stepFacts.append(StepFacts())
        if scalarValue(entry.value) == .null {
            report(.missingKey, "\(label) needs 'run' or 'uses'", at: entry.keyNode)
            return step
        }
        guard case .mapping = entry.value else {
            let isText = if case .string = scalarValue(entry.value) { true } else { false }
            mismatch(
                "a mapping", for: label, found: entry.value,
                hint: isText ? "a step is a mapping; for a script write 'run: <script>' under '\(entry.key)'" : nil)
            return step
        }
        let fields = entries(of: entry.value, allowed: Self.stepKeys, context: label)
        var action: Entry?
        var withEntry: Entry?
        for field in fields {
            let value = field.value
            switch field.key {
            case "run", "uses":
                if let previous = action {
                    report(
                        .conflictingKeys, "\(label) has both '\(previous.key)' and '\(field.key)'", at: field.keyNode,
                        hint: "a step either runs a script ('run') or uses a built-in kind ('uses')")
                    continue
                }
                action = field
            case "with":
                withEntry = field
            case "needs":
                step.needs = decodeNeeds(value)
            case "if":
                if let text = readScalarText(value, for: "'if'") {
                    step.condition = Located(text, at: location(value))
                    templates.append(
                        TemplateSite(
                            text: text, node: value, scope: .step(index: index, field: .condition), isCondition: true))
                }
            case "env":
                step.env = decodeEnvironment(value, scope: .step(index: index, field: .env))
            case "working-directory":
                step.workingDirectory = readString(value, for: "'working-directory'")
            case "shell":
                step.shell = readShell(value)
            case "timeout":
                step.timeout = readDuration(value, for: "'timeout'")
            case "retry":
                step.retry = decodeRetry(value)
            case "continue-on-error":
                step.continueOnError = readBool(value, for: "'continue-on-error'") ?? false
            case "outputs":
                step.outputs = decodeOutputs(value, index: index)
            case "matrix":
                step.matrix = decodeMatrix(field, step: step.id, index: index)
            default:
                break
            }
        }
        switch action?.key {
        case "run":
            if let script = readString(action!.value, for: "'run'") {
                step.action = .run(Located(script, at: location(action!.value)))
                if script.hasTemplateOpener {
                    templates.append(TemplateSite(text: script, node: action!.value, scope: .step(index: index, field: .run)))
                }
            }
            if let withEntry {
                report(
                    .withWithoutUses, "'with' is only valid on a step with 'uses'; \(label) runs a script",
                    at: withEntry.keyNode, hint: "pass values to a script through 'env'")
            }
        case "uses":
            let kindNode = action!.value
            let kindName = readString(kindNode, for: "'uses'")
            var spec: StepKindSpec?
            if let kindName {
                spec = catalog[kindName]
                if spec == nil {
                    let hint =
                        Suggestion.closest(to: kindName, in: catalog.names).map { "did you mean '\($0)'?" }
                        ?? (catalog.names.isEmpty ? nil : "known kinds: " + catalog.names.joined(separator: ", "))
                    report(.unknownKind, "unknown step kind '\(kindName)'", at: kindNode, hint: hint)
                }
            }
            stepFacts[index].kind = spec
            let inputs = decodeWith(withEntry, spec: spec, kindNode: kindNode, index: index)
            step.action = .uses(kind: Located(kindName ?? "", at: location(kindNode)), with: inputs)
        default:
            report(.missingKey, "\(label) needs 'run' or 'uses'", at: entry.keyNode)
        }
        return step
    }

    private mutating func decodeNeeds(_ node: Node) -> [Located<StepID>] {
        let items: [Node]
        switch node {
        case .scalar: items = [node]
        case .sequence(let sequence): items = Array(sequence)
        case .mapping:
            mismatch("a step id or a list of step ids", for: "'needs'", found: node)
            return []
        case .alias: return []
        }
        return items.compactMap { item in
            readString(item, for: "an entry of 'needs'").map { Located(StepID($0), at: location(item)) }
        }
    }

    mutating func decodeRetry(_ node: Node) -> RetryPolicy? {
        switch node {
        case .scalar(let scalar) where ScalarValue(scalar).isInteger:
            return readInt(node, for: "'retry' attempts", minimum: 1).map { RetryPolicy(attempts: $0) }
        case .mapping:
            var attempts: Int?
            var attemptsWritten = false
            var policy = RetryPolicy(attempts: 1)
            for entry in entries(of: node, allowed: Self.retryKeys, context: "'retry'") {
                switch entry.key {
                case "attempts":
                    attemptsWritten = true
                    attempts = readInt(entry.value, for: "'attempts'", minimum: 1)
                case "backoff":
                    if let backoff = readChoice(entry.value, for: "'backoff'", as: RetryPolicy.Backoff.self) {
                        policy.backoff = backoff
                    }
                case "delay":
                    if let delay = readDuration(entry.value, for: "'delay'", allowZero: true) { policy.delay = delay }
                case "max_delay":
                    policy.maxDelay = readDuration(entry.value, for: "'max_delay'")
                default:
                    break
                }
            }
            guard let attempts else {
                if !attemptsWritten {
                    report(.missingKey, "missing required key 'attempts' in 'retry'", at: node, length: 1)
                }
                return nil
            }
            policy.attempts = attempts
            return policy
        default:
            mismatch("a number of attempts or a mapping", for: "'retry'", found: node)
            return nil
        }
    }

    private mutating func decodeOutputs(_ node: Node, index: Int) -> [String: Located<String>] {
        guard expectMapping(node, for: "'outputs'") else { return [:] }
        var outputs: [String: Located<String>] = [:]
        for entry in entries(of: node, allowed: nil, context: "'outputs'") {
            checkIdentifier(entry.key, at: entry.keyNode, what: "output name")
            guard let text = readString(entry.value, for: "output '\(entry.key)'") else { continue }
            outputs[entry.key] = Located(text, at: location(entry.value))
            if text.hasTemplateOpener {
                templates.append(TemplateSite(text: text, node: entry.value, scope: .step(index: index, field: .outputs)))
            }
        }
        return outputs
    }

    // MARK: matrix

    private mutating func decodeMatrix(_ field: Entry, step: StepID, index: Int) -> Matrix? {
        let node = field.value
        guard expectMapping(node, for: "'matrix'") else { return nil }
        var repeated = false
        var dimensions: [Matrix.Dimension] = []
        var includeNode: Node?
        var excludeNode: Node?
        var dimensionWritten = false
        for entry in entries(of: node, allowed: nil, context: "'matrix'") {
            switch entry.key {
            case "include": includeNode = entry.value
            case "exclude": excludeNode = entry.value
            default:
                dimensionWritten = true
                checkIdentifier(entry.key, at: entry.keyNode, what: "matrix dimension name")
                guard case .sequence(let values) = entry.value else {
                    mismatch("a list of values", for: "matrix dimension '\(entry.key)'", found: entry.value)
                    continue
                }
                if values.isEmpty {
                    report(.emptyMatrix, "matrix dimension '\(entry.key)' has no values", at: entry.value)
                    continue
                }
                let dimension = Matrix.Dimension(name: entry.key, values: values.map(expressionValue))
                var seen: Set<String> = []
                for (item, value) in zip(values, dimension.values) where !seen.insert(RunPlan.label(value)).inserted {
                    // Equal as written in a step run id (`1` and "1" too): two runs, one id.
                    repeated = true
                    report(
                        .duplicateMatrixID,
                        "matrix dimension '\(entry.key)' lists '\(RunPlan.label(value))' twice; "
                            + "step '\(step)' would have two step runs with the same id",
                        at: item, hint: "list each value once")
                }
                dimensions.append(dimension)
            }
        }
        var matrix = Matrix(dimensions: dimensions)
        let names = dimensions.map(\.name)
        var known = Set(names)
        if let includeNode {
            matrix.include = decodeCombinations(includeNode, key: "include", dimensions: nil)
            for combination in matrix.include { known.formUnion(combination.keys) }
        }
        if let excludeNode {
            matrix.exclude = decodeCombinations(excludeNode, key: "exclude", dimensions: names)
        }
        if dimensions.isEmpty, matrix.include.isEmpty {
            if !dimensionWritten {
                report(
                    .emptyMatrix, "'matrix' has no dimensions", at: node,
                    hint: "add a dimension such as 'os: [linux, macos]'", length: 1)
            }
        }
        stepFacts[index].dimensions = known
        if !repeated {
            var seen: Set<StepID> = []
            if let id = RunPlan.combinationIDs(step, matrix).first(where: { !seen.insert($0).inserted }) {
                report(
                    .duplicateMatrixID, "two combinations of the matrix of step '\(step)' have the same id '\(id)'",
                    at: field.keyNode,
                    hint: "ids join the values with ','; a value holding ',' (or an 'include' entry "
                        + "repeating a combination) makes two read alike")
            }
        }
        return matrix
    }

    /// `include:` / `exclude:` — a list of mappings from dimension to value. Exclude keys must
    /// name dimensions (`dimensions` given); include may add new keys.
    private mutating func decodeCombinations(_ node: Node, key: String, dimensions: [String]?) -> [[String: ExpressionValue]] {
        guard case .sequence(let items) = node else {
            mismatch("a list of mappings", for: "'\(key)'", found: node)
            return []
        }
        var result: [[String: ExpressionValue]] = []
        for item in items {
            guard expectMapping(item, for: "an entry of '\(key)'") else { continue }
            var combination: [String: ExpressionValue] = [:]
            for entry in entries(of: item, allowed: nil, context: "an entry of '\(key)'") {
                if let dimensions, !dimensions.contains(entry.key) {
                    let hint =
                        Suggestion.closest(to: entry.key, in: dimensions).map { "did you mean '\($0)'?" }
                        ?? (dimensions.isEmpty ? nil : "dimensions: " + dimensions.joined(separator: ", "))
                    report(
                        .unknownDimension, "'\(key)' names unknown matrix dimension '\(entry.key)'",
                        at: entry.keyNode, hint: hint)
                    continue
                }
                combination[entry.key] = expressionValue(entry.value)
            }
            result.append(combination)
        }
        return result
    }
}

extension ScalarValue {
    var isInteger: Bool {
        if case .int = self { return true }
        return false
    }
}
