/// Evaluates a parsed expression against an `ExpressionContext`, by the semantics of GitHub's
/// runner (actions/runner `Expressions2`) and reference implementation (actions/languageservices
/// `evaluator.ts`): `&&`/`||` short-circuit and return an operand; `!` returns a boolean;
/// comparisons coerce as `ExpressionValue.looselyEqual` describes; a missing property or an
/// out-of-range index is null; `*` filters collect values from an array or object.
struct ExpressionEvaluator {
    let context: ExpressionContext

    func evaluate(_ node: ExpressionNode) throws(ExpressionError) -> ExpressionValue {
        switch node.kind {
        case .literal(let value):
            return value
        case .context(let name):
            return try lookUp(name, node)
        case .group(let inner):
            return try evaluate(inner)
        case .index, .filter:
            return try evaluateAccess(node).value
        case .not(let operand):
            return .bool(!(try evaluate(operand).isTruthy))
        case .and(let items):
            var result = ExpressionValue.null
            for item in items {
                result = try evaluate(item)
                if !result.isTruthy { return result }
            }
            return result
        case .or(let items):
            var result = ExpressionValue.null
            for item in items {
                result = try evaluate(item)
                if result.isTruthy { return result }
            }
            return result
        case .compare(let op, let lhsNode, let rhsNode):
            let lhs = try evaluate(lhsNode)
            let rhs = try evaluate(rhsNode)
            func equal() -> Bool {
                ExpressionValue.looselyEqual(lhs, rhs, sameInstance: Self.sameInstance(lhsNode, rhsNode, lhs, rhs))
            }
            switch op {
            case .equal: return .bool(equal())
            case .notEqual: return .bool(!equal())
            case .less: return .bool(ExpressionValue.looselyLess(lhs, rhs))
            case .lessOrEqual: return .bool(equal() || ExpressionValue.looselyLess(lhs, rhs))
            case .greater: return .bool(ExpressionValue.looselyGreater(lhs, rhs))
            case .greaterOrEqual: return .bool(equal() || ExpressionValue.looselyGreater(lhs, rhs))
            }
        case .call(let function, let arguments):
            return try call(function, arguments, node)
        }
    }

    // MARK: Contexts and indexing

    private func lookUp(_ name: String, _ node: ExpressionNode) throws(ExpressionError) -> ExpressionValue {
        if let value = context.values[name] { return value }
        for (key, value) in context.values where OrdinalIgnoreCase.equals(key, name) { return value }
        var message = "unknown context '\(name)'"
        if let suggestion = Suggestion.closest(to: name, in: context.values.keys.sorted()) {
            message += "; did you mean '\(suggestion)'?"
        }
        throw ExpressionError(message, offset: node.offset, length: node.length)
    }

    /// The value of an index/filter chain, and whether it is a filtered array (the result of a
    /// `*`), to which further indexing applies element-wise (actions/languageservices
    /// `filteredArrayAccess`).
    private func evaluateAccess(_ node: ExpressionNode) throws(ExpressionError) -> (value: ExpressionValue, filtered: Bool) {
        switch node.kind {
        case .index(let baseNode, let keyNode):
            let key = try evaluate(keyNode)
            let (base, filtered) = try evaluateAccess(baseNode)
            if filtered {
                var result: [ExpressionValue] = []
                for item in base.arrayValue ?? [] {
                    switch item {
                    case .object(let members):
                        if key.isPrimitive, let value = Self.member(members, key.coercedString) { result.append(value) }
                    case .array(let elements):
                        if let i = Self.arrayIndex(key), i < elements.count { result.append(elements[i]) }
                    default:
                        break
                    }
                }
                return (.array(result), true)
            }
            switch base {
            case .object(let members):
                guard key.isPrimitive else { return (.null, false) }
                return (Self.member(members, key.coercedString) ?? .null, false)
            case .array(let elements):
                guard let i = Self.arrayIndex(key), i < elements.count else { return (.null, false) }
                return (elements[i], false)
            default:
                return (.null, false)
            }
        case .filter(let baseNode):
            let (base, filtered) = try evaluateAccess(baseNode)
            if filtered {
                var result: [ExpressionValue] = []
                for item in base.arrayValue ?? [] {
                    switch item {
                    case .object(let members): result.append(contentsOf: Self.sortedValues(members))
                    case .array(let elements): result.append(contentsOf: elements)
                    default: break
                    }
                }
                return (.array(result), true)
            }
            switch base {
            case .array: return (base, true)
            case .object(let members): return (.array(Self.sortedValues(members)), true)
            default: return (.array([]), true)
            }
        default:
            return (try evaluate(node), false)
        }
    }

    /// `members[key]`, else the first member whose key equals `key` ignoring case.
    private static func member(_ members: [String: ExpressionValue], _ key: String) -> ExpressionValue? {
        if let value = members[key] { return value }
        for (k, value) in members where OrdinalIgnoreCase.equals(k, key) { return value }
        return nil
    }

    /// An object's values in key order: GitHub gives no order, `.object` keeps none, so sort.
    private static func sortedValues(_ members: [String: ExpressionValue]) -> [ExpressionValue] {
        members.keys.sorted().map { members[$0]! }
    }

    /// `key` as an array index: its number (by GitHub's coercion) rounded down, when finite and
    /// not negative (actions/languageservices `idxHelper`).
    private static func arrayIndex(_ key: ExpressionValue) -> Int? {
        let n = key.coercedNumber
        guard n.isFinite, n >= 0, n < Double(Int.max / 2) else { return nil }
        return Int(n)  // truncation is rounding down for n >= 0
    }

    /// Whether two array/object operands are the same instance: both read the same static
    /// context path (GitHub compares arrays and objects by reference; values made by `fromJSON`
    /// or a filter are always new instances).
    private static func sameInstance(_ lhsNode: ExpressionNode, _ rhsNode: ExpressionNode, _ lhs: ExpressionValue, _ rhs: ExpressionValue)
        -> Bool
    {
        guard !lhs.isPrimitive, !rhs.isPrimitive,
            let a = lhsNode.staticPath, let b = rhsNode.staticPath, a.count == b.count
        else { return false }
        return zip(a, b).allSatisfy { OrdinalIgnoreCase.equals($0, $1) }
    }

    // MARK: Functions

    private func call(_ function: ExpressionFunction, _ arguments: [ExpressionNode], _ node: ExpressionNode) throws(ExpressionError)
        -> ExpressionValue
    {
        let status = context.status
        switch function {
        case .success:
            return .bool(!status.anyFailed && !status.cancelled)
        case .failure:
            return .bool(status.anyFailed && !status.cancelled)
        case .cancelled:
            return .bool(status.cancelled)
        case .always:
            return .bool(true)
        case .contains:
            let search = try evaluate(arguments[0])
            let item = try evaluate(arguments[1])
            if search.isPrimitive {
                return .bool(item.isPrimitive && OrdinalIgnoreCase.contains(search.coercedString, item.coercedString))
            }
            if case .array(let elements) = search {
                return .bool(elements.contains { ExpressionValue.looselyEqual(item, $0, sameInstance: false) })
            }
            return .bool(false)
        case .startsWith, .endsWith:
            let string = try evaluate(arguments[0])
            let affix = try evaluate(arguments[1])
            guard string.isPrimitive, affix.isPrimitive else { return .bool(false) }
            return .bool(
                function == .startsWith
                    ? OrdinalIgnoreCase.hasPrefix(string.coercedString, affix.coercedString)
                    : OrdinalIgnoreCase.hasSuffix(string.coercedString, affix.coercedString))
        case .format:
            let format = try evaluate(arguments[0]).coercedString
            var values: [String] = []
            for argument in arguments.dropFirst() { values.append(try evaluate(argument).coercedString) }
            return .string(try Self.format(format, values, node))
        case .join:
            let items = try evaluate(arguments[0])
            switch items {
            case .array(let elements):
                guard !elements.isEmpty else { return .string("") }
                var separator = ","
                if arguments.count > 1, elements.count > 1 {
                    let given = try evaluate(arguments[1])
                    if given.isPrimitive { separator = given.coercedString }
                }
                return .string(elements.map(\.coercedString).joined(separator: separator))
            case .object:
                return .string("")
            default:
                return .string(items.coercedString)
            }
        case .toJSON:
            return .string(try evaluate(arguments[0]).json)
        case .fromJSON:
            let text = try evaluate(arguments[0]).coercedString
            do throws(ExpressionError) {
                return try ExpressionValue(parsingJSON: text)
            } catch {
                throw ExpressionError(
                    "fromJSON(): \(error.message) (at character \(error.offset + 1) of the JSON text)", offset: node.offset,
                    length: node.length)
            }
        }
    }

    /// `format(string, values…)` by GitHub's rules (actions/runner `Format`): `{N}` is the N-th
    /// value (0…255), `{{` and `}}` are literal braces, anything else with a brace is an error;
    /// format specifiers (`{0:x}`) are not supported.
    private static func format(_ format: String, _ values: [String], _ node: ExpressionNode) throws(ExpressionError) -> String {
        let s = Array(format.unicodeScalars)
        var out = String.UnicodeScalarView()
        func invalid() -> ExpressionError {
            ExpressionError(
                "format(): invalid format string '\(format)'; write '{N}' for the N-th value and '{{' or '}}' for a brace",
                offset: node.offset, length: node.length)
        }
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "{" {
                if i + 1 < s.count, s[i + 1] == "{" {
                    out.append("{")
                    i += 2
                    continue
                }
                var j = i + 1
                var n = 0
                while j < s.count, ("0"..."9").contains(s[j]) {
                    n = n * 10 + Int(s[j].value - 0x30)
                    if n > 255 { throw invalid() }
                    j += 1
                }
                guard j > i + 1, j < s.count else { throw invalid() }
                if s[j] == ":" {
                    throw ExpressionError(
                        "format(): format specifiers such as '{0:…}' are not supported", offset: node.offset, length: node.length)
                }
                guard s[j] == "}" else { throw invalid() }
                guard n < values.count else {
                    throw ExpressionError(
                        "format(): '{\(n)}' needs \(n + 1) value\(n == 0 ? "" : "s") after the format string, but \(values.count) \(values.count == 1 ? "is" : "are") given",
                        offset: node.offset, length: node.length)
                }
                out.append(contentsOf: values[n].unicodeScalars)
                i = j + 1
            } else if c == "}" {
                guard i + 1 < s.count, s[i + 1] == "}" else { throw invalid() }
                out.append("}")
                i += 2
            } else {
                out.append(c)
                i += 1
            }
        }
        return String(out)
    }
}
