import FlowCore
import Yams

extension SpecDecoder {
    /// `with:` — inputs of a built-in kind, checked against its spec when the kind is known:
    /// unknown inputs, missing required inputs and wrong types. A string holding `${{ }}` is
    /// accepted for any type (it is checked after substitution, at run time).
    mutating func decodeWith(_ entry: Entry?, spec: StepKindSpec?, kindNode: Node, index: Int) -> [String: ExpressionValue] {
        var inputs: [String: ExpressionValue] = [:]
        var given: Set<String> = []
        var readable = true
        if let entry {
            if scalarValue(entry.value) != .null, !expectMapping(entry.value, for: "'with'") {
                readable = false
            } else {
                let names = spec?.inputs.map(\.name) ?? []
                for field in entries(of: entry.value, allowed: nil, context: "'with'") {
                    given.insert(field.key)
                    collectTemplates(in: field.value, index: index)
                    if let spec {
                        guard let input = spec.input(field.key) else {
                            let hint =
                                Suggestion.closest(to: field.key, in: names).map { "did you mean '\($0)'?" }
                                ?? (names.isEmpty
                                    ? "'\(spec.name)' takes no inputs" : "inputs of '\(spec.name)': " + names.joined(separator: ", "))
                            report(
                                .unknownInput, "unknown input '\(field.key)' for kind '\(spec.name)'",
                                at: field.keyNode, hint: hint)
                            continue
                        }
                        checkInput(field.value, type: input.type, label: "input '\(field.key)'")
                    }
                    inputs[field.key] = expressionValue(field.value)
                }
            }
        }
        if let spec, readable {
            for input in spec.inputs where input.required && !given.contains(input.name) {
                report(
                    .missingInput, "missing required input '\(input.name)' for kind '\(spec.name)'",
                    at: entry?.keyNode ?? kindNode, hint: "\(input.name): \(input.summary)")
            }
        }
        return inputs
    }

    /// Remembers every string under `node` that holds `${{`.
    private mutating func collectTemplates(in node: Node, index: Int) {
        switch node {
        case .scalar(let scalar):
            if scalar.string.hasTemplateOpener, case .string = ScalarValue(scalar) {
                templates.append(TemplateSite(text: scalar.string, node: node, scope: .step(index: index, field: .with)))
            }
        case .sequence(let items):
            for item in items { collectTemplates(in: item, index: index) }
        case .mapping(let mapping):
            for (_, value) in mapping { collectTemplates(in: value, index: index) }
        case .alias:
            break
        }
    }

    private func isTemplate(_ node: Node) -> Bool {
        if case .scalar(let scalar) = node, case .string(let text) = ScalarValue(scalar), text.hasTemplateOpener {
            return true
        }
        return false
    }

    /// Checks one input value against its declared type; `label` names it in messages
    /// ("input 'size'", "input 'headers.accept'", "input 'tags[2]'").
    mutating func checkInput(_ node: Node, type: StepKindSpec.InputType, label: String) {
        if isTemplate(node) { return }
        let value = scalarValue(node)
        switch type {
        case .any:
            return
        case .string:
            if case .string = value { return }
        case .int:
            if case .int = value { return }
        case .number:
            if case .int = value { return }
            if case .number = value { return }
        case .bool:
            if case .bool = value { return }
        case .duration:
            _ = readDuration(node, for: label, allowZero: true)
            return
        case .oneOf(let choices):
            if case .string(let text) = value {
                if choices.contains(text) { return }
                let hint = Suggestion.closest(to: text, in: choices).map { "did you mean '\($0)'?" }
                report(
                    .invalidValue,
                    "invalid value '\(text)' for \(label): expected one of " + choices.joined(separator: ", "),
                    at: node, hint: hint)
                return
            }
        case .list(let element):
            if case .sequence(let items) = node {
                for (offset, item) in items.enumerated() {
                    checkInput(item, type: element, label: "\(label.dropLast())[\(offset)]'")
                }
                return
            }
        case .map(let element):
            if case .mapping = node {
                for entry in entries(of: node, allowed: nil, context: label) {
                    checkInput(entry.value, type: element, label: "\(label.dropLast()).\(entry.key)'")
                }
                return
            }
        }
        mismatch(Self.expectation(type), for: label, found: node)
    }

    /// "a string", "a list of integers", … for messages.
    static func expectation(_ type: StepKindSpec.InputType) -> String {
        switch type {
        case .string: "a string"
        case .int: "an integer"
        case .number: "a number"
        case .bool: "a boolean (true or false)"
        case .duration: "a duration such as \"30s\" or \"5m\""
        case .list: "a list"
        case .map: "a mapping"
        case .oneOf(let values): "one of " + values.joined(separator: ", ")
        case .any: "any value"
        }
    }
}
