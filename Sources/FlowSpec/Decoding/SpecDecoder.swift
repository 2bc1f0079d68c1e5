import FlowCore
import Yams

/// Walks a workflow's YAML nodes into the FlowCore model, collecting every problem as a
/// `Diagnostic` instead of stopping at the first. Each `read…` method returns nil (and has
/// reported why) when its node cannot be used.
struct SpecDecoder {
    let file: String
    let source: SourceText
    let renamedKeys: [YAMLDocument.Position: String]
    let catalog: StepKindCatalog
    var diagnostics: [Diagnostic] = []
    /// Every string that may hold `${{ }}`, checked once the whole workflow is known.
    var templates: [TemplateSite] = []
    /// One entry per decoded step, by index.
    var stepFacts: [StepFacts] = []

    init(file: String, source: SourceText, renamedKeys: [YAMLDocument.Position: String], catalog: StepKindCatalog) {
        self.file = file
        self.source = source
        self.renamedKeys = renamedKeys
        self.catalog = catalog
    }

    /// One key of a mapping with its value, the key as written (duplicates already removed).
    struct Entry {
        var key: String
        var keyNode: Node
        var value: Node
    }

    // MARK: Locations and reporting

    func location(_ node: Node) -> SourceLocation? {
        node.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
    }

    /// Columns the node's text takes on its first line, for the caret underline.
    func width(_ node: Node) -> Int {
        guard case .scalar(let scalar) = node else { return 1 }
        let count = scalar.string.unicodeScalars.count
        switch scalar.style {
        case .singleQuoted, .doubleQuoted:
            // Escapes make the written form wider than the value: measure the source.
            guard let mark = scalar.mark else { return count + 2 }
            let start = source.offset(line: mark.line, column: mark.column)
            guard let end = ScalarSourceMap.offsets(value: scalar.string, style: scalar.style, start: start, in: source)?.last
            else { return count + 2 }
            return end + 1 - start
        case .literal, .folded: return 1
        case .plain, .any: return scalar.string.contains("\n") ? 1 : count
        }
    }

    mutating func report(
        _ code: Diagnostic.Code, _ message: String, at node: Node?, hint: String? = nil,
        severity: Diagnostic.Severity = .error, length: Int? = nil
    ) {
        diagnostics.append(
            Diagnostic(
                severity, code: code, message: message, at: node.flatMap(location), hint: hint,
                length: length ?? node.map(width) ?? 1))
    }

    /// Reports a problem inside scalar `node`'s value: `offset` and `length` count Unicode
    /// scalars of the value (as expression and cron errors do) and are mapped back to the
    /// line and column where those characters are written; the scalar's start when the
    /// mapping cannot be followed.
    mutating func report(
        _ code: Diagnostic.Code, _ message: String, at node: Node, hint: String? = nil, offset: Int, length: Int
    ) {
        guard case .scalar(let scalar) = node, let mark = scalar.mark else {
            report(code, message, at: node, hint: hint)
            return
        }
        let start = source.offset(line: mark.line, column: mark.column)
        guard let offsets = ScalarSourceMap.offsets(value: scalar.string, style: scalar.style, start: start, in: source),
            offset >= 0, offset < offsets.count
        else {
            report(code, message, at: node, hint: hint, length: 1)
            return
        }
        let first = offsets[offset]
        let last = offsets[min(offsets.count - 1, offset + max(0, length))]
        let (line, column) = source.position(of: first)
        diagnostics.append(
            Diagnostic(
                code: code, message: message, at: SourceLocation(file: file, line: line, column: column), hint: hint,
                length: max(1, last - first)))
    }

    /// "a mapping", "a list", "a string", … for messages.
    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar): ScalarValue(scalar).kindDescription
        case .alias: "an alias"
        }
    }

    /// Reports that `node` is not what `label` needs.
    mutating func mismatch(_ expected: String, for label: String, found node: Node, hint extra: String? = nil) {
        report(
            .typeMismatch, "expected \(expected) for \(label), found \(describe(node))", at: node,
            hint: extra ?? typeHint(expected: expected, found: node))
    }

    /// A hint for the usual YAML typing slips: a number where text was meant, a quoted
    /// number or boolean, YAML 1.1 booleans.
    func typeHint(expected: String, found node: Node) -> String? {
        guard case .scalar(let scalar) = node else { return nil }
        let value = ScalarValue(scalar)
        if expected.hasPrefix("a string") {
            return value == .null ? nil : "quote it to keep it as text: \"\(scalar.string)\""
        }
        guard case .string(let text) = value else { return nil }
        let plain = ScalarValue.resolvePlain(text)
        let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
        if expected.hasPrefix("a boolean") {
            if quoted, case .bool = plain { return "remove the quotes to make it a boolean" }
            if ["yes", "no", "on", "off", "y", "n"].contains(text.lowercased()) {
                return "YAML 1.2 has only true and false as booleans"
            }
        }
        if expected.hasPrefix("an integer") || expected.hasPrefix("a number"), quoted {
            if case .int = plain { return "remove the quotes to make it a number" }
            if case .number = plain, expected.hasPrefix("a number") { return "remove the quotes to make it a number" }
        }
        return nil
    }

    // MARK: Mappings

    /// The text of a mapping key (its real name if the duplicate-key workaround renamed it).
    func keyText(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else { return nil }
        if let mark = scalar.mark, let real = renamedKeys[YAMLDocument.Position(line: mark.line, column: mark.column)] {
            return real
        }
        return scalar.string
    }

    /// The entries of mapping `node` in file order. Reports a duplicate key at its second
    /// occurrence (and drops it), and keys not in `allowed` (when given) as unknown, with a
    /// suggestion; `context` names the mapping in messages ("step 'build'").
    mutating func entries(of node: Node, allowed: [String]?, context: String) -> [Entry] {
        guard case .mapping(let mapping) = node else { return [] }
        var result: [Entry] = []
        result.reserveCapacity(mapping.count)
        // Small mappings (almost all) are searched linearly; a dictionary pays off for big
        // ones such as `steps:`. Both keep the first occurrence's mark.
        typealias Position = YAMLDocument.Position
        let indexed = mapping.count > 16
        var seen: [String: Position?] = [:]
        var seenKeys: [(key: String, position: Position?)] = []
        for (keyNode, value) in mapping {
            guard let key = keyText(keyNode) else {
                report(.typeMismatch, "expected a string key in \(context), found \(describe(keyNode))", at: keyNode)
                continue
            }
            let first: Position??
            if indexed {
                first = seen[key]
            } else {
                first = seenKeys.first { $0.key == key }.map(\.position)
            }
            if let first {
                let hint = first.map { "'\(key)' is first written at line \($0.line), column \($0.column)" }
                report(.duplicateKey, "duplicate key '\(key)' in \(context)", at: keyNode, hint: hint)
                continue
            }
            let position = keyNode.mark.map { Position(line: $0.line, column: $0.column) }
            if indexed {
                seen[key] = position
            } else {
                seenKeys.append((key, position))
            }
            if let allowed, !allowed.contains(key) {
                let hint: String
                if key == "<<" {
                    hint = "YAML merge keys are not supported; anchors and aliases are"
                } else if let guess = Suggestion.closest(to: key, in: allowed) {
                    hint = "did you mean '\(guess)'?"
                } else {
                    hint = "valid keys: " + allowed.joined(separator: ", ")
                }
                report(.unknownKey, "unknown key '\(key)' in \(context)", at: keyNode, hint: hint)
                continue
            }
            result.append(Entry(key: key, keyNode: keyNode, value: value))
        }
        return result
    }

    /// True when `node` is a mapping; reports a mismatch otherwise.
    mutating func expectMapping(_ node: Node, for label: String) -> Bool {
        if case .mapping = node { return true }
        mismatch("a mapping", for: label, found: node)
        return false
    }

    // MARK: Scalars

    /// The scalar's resolved value, or nil for collections.
    func scalarValue(_ node: Node) -> ScalarValue? {
        guard case .scalar(let scalar) = node else { return nil }
        return ScalarValue(scalar)
    }

    mutating func readString(_ node: Node, for label: String) -> String? {
        if case .scalar(let scalar) = node, case .string(let text) = ScalarValue(scalar) { return text }
        mismatch("a string", for: label, found: node)
        return nil
    }

    /// A string, or the text of a number or boolean (environment values, `if:`); null is "".
    mutating func readScalarText(_ node: Node, for label: String) -> String? {
        if case .scalar(let scalar) = node {
            return ScalarValue(scalar) == .null ? "" : scalar.string
        }
        mismatch("a string, number or boolean", for: label, found: node)
        return nil
    }

    mutating func readBool(_ node: Node, for label: String) -> Bool? {
        if case .bool(let value) = scalarValue(node) { return value }
        mismatch("a boolean (true or false)", for: label, found: node)
        return nil
    }

    /// An integer no smaller than `minimum`.
    mutating func readInt(_ node: Node, for label: String, minimum: Int) -> Int? {
        guard case .int(let value) = scalarValue(node) else {
            mismatch("an integer", for: label, found: node)
            return nil
        }
        guard value >= minimum else {
            report(.outOfRange, "\(label) must be at least \(minimum), found \(value)", at: node)
            return nil
        }
        return value
    }

    /// A duration such as `30s` (see `DurationText`); zero is refused unless `allowZero`.
    mutating func readDuration(_ node: Node, for label: String, allowZero: Bool = false) -> Duration? {
        guard case .scalar(let scalar) = node, ScalarValue(scalar) != .null else {
            mismatch("a duration such as \"30s\" or \"5m\"", for: label, found: node)
            return nil
        }
        let text = scalar.string
        guard let duration = DurationText.parse(text) else {
            var hint: String?
            if case .int = ScalarValue(scalar) { hint = "durations carry units: \"\(text)s\" or \"\(text)m\"" }
            if case .number = ScalarValue(scalar) { hint = "durations carry units: \"\(text)s\"" }
            report(
                .invalidDuration,
                "invalid duration '\(text)' for \(label): expected a duration such as \"30s\" or \"5m\"",
                at: node, hint: hint)
            return nil
        }
        if !allowZero, duration == .zero {
            report(.outOfRange, "\(label) must be longer than zero", at: node)
            return nil
        }
        return duration
    }

    /// One of an enumeration's raw values, with a suggestion when misspelt.
    mutating func readChoice<Choice: RawRepresentable & CaseIterable>(
        _ node: Node, for label: String, as _: Choice.Type
    ) -> Choice? where Choice.RawValue == String {
        let names = Choice.allCases.map(\.rawValue)
        guard case .scalar(let scalar) = node else {
            mismatch("one of " + names.joined(separator: ", "), for: label, found: node)
            return nil
        }
        if case .string(let text) = ScalarValue(scalar), let choice = Choice(rawValue: text) { return choice }
        let hint = Suggestion.closest(to: scalar.string, in: names).map { "did you mean '\($0)'?" }
        report(
            .invalidValue,
            "invalid value '\(scalar.string)' for \(label): expected one of " + names.joined(separator: ", "),
            at: node, hint: hint)
        return nil
    }

    /// Any node as an expression value (the JSON data model); mapping keys are their text.
    func expressionValue(_ node: Node) -> ExpressionValue {
        switch node {
        case .scalar(let scalar):
            return ScalarValue(scalar).expressionValue
        case .sequence(let sequence):
            return .array(sequence.map(expressionValue))
        case .mapping(let mapping):
            var object: [String: ExpressionValue] = [:]
            for (key, value) in mapping {
                object[keyText(key) ?? "\(key)"] = expressionValue(value)
            }
            return .object(object)
        case .alias:
            return .null
        }
    }

    // MARK: Names

    /// `[A-Za-z_][A-Za-z0-9_-]*` (step ids, params, outputs, matrix dimensions) or, with
    /// `allowHyphen` false, `[A-Za-z_][A-Za-z0-9_]*` (environment variables, secrets).
    static func isIdentifier(_ text: String, allowHyphen: Bool = true) -> Bool {
        var first = true
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"):
                break
            case UInt8(ascii: "0")...UInt8(ascii: "9") where !first:
                break
            case UInt8(ascii: "-") where !first && allowHyphen:
                break
            default:
                return false
            }
            first = false
        }
        return !first
    }

    /// Reports `name` (written at `node`) when it is not an identifier; `what` is "step id",
    /// "param name", ….
    mutating func checkIdentifier(_ name: String, at node: Node, what: String, allowHyphen: Bool = true) {
        guard !Self.isIdentifier(name, allowHyphen: allowHyphen) else { return }
        let pattern = allowHyphen ? "[A-Za-z_][A-Za-z0-9_-]*" : "[A-Za-z_][A-Za-z0-9_]*"
        report(.invalidName, "invalid \(what) '\(name)': it must match \(pattern)", at: node)
    }
}
