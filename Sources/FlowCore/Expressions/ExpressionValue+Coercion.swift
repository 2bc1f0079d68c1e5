// Truthiness, conversions and comparisons, as GitHub documents them ("Literals", "Operators"
// and "Functions" of docs.github.com/actions/reference/workflows-and-actions/expressions) and its
// runner implements them (actions/runner `EvaluationResult`).
extension ExpressionValue {
    /// Whether the value counts as true in a condition: `false`, `0`, `-0`, `NaN`, `''` and `null`
    /// are false; everything else, every array and object included, is true.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let b): b
        case .number(let n): !(n == 0 || n.isNaN)
        case .string(let s): !s.isEmpty
        case .array, .object: true
        }
    }

    /// The value as text where a template puts it into a string: `null` → empty, `true`/`false`,
    /// numbers as GitHub prints them (`gitHubNumberText`), strings as they are, arrays and objects
    /// as their pretty JSON (`json`).
    ///
    /// Functions such as `format` and `join` convert differently inside expressions, as GitHub
    /// does: an array is `Array` and an object `Object` there.
    public var renderedString: String {
        switch self {
        case .array, .object: json
        default: coercedString
        }
    }

    /// Whether the value is null, a boolean, a number or a string.
    var isPrimitive: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    /// GitHub's string conversion inside functions (docs "Functions" table; runner
    /// `ConvertToString`): null → `''`, `true`/`false`, numbers in G15, arrays → `Array`,
    /// objects → `Object`.
    var coercedString: String {
        switch self {
        case .null: ""
        case .bool(let b): b ? "true" : "false"
        case .number(let n): Self.gitHubNumberText(n)
        case .string(let s): s
        case .array: "Array"
        case .object: "Object"
        }
    }

    /// GitHub's number conversion (docs "Operators" table): null → 0, `true` → 1, `false` → 0,
    /// strings parsed as JSON-like numbers (empty → 0, otherwise NaN), arrays and objects → NaN.
    var coercedNumber: Double {
        switch self {
        case .null: 0
        case .bool(let b): b ? 1 : 0
        case .number(let n): n
        case .string(let s): Self.gitHubNumber(parsing: s[...])
        case .array, .object: .nan
        }
    }

    /// `==` by GitHub's loose equality: mismatched types are coerced (null and booleans to
    /// numbers, then a number against a string compares numerically); NaN equals nothing; strings
    /// compare ignoring case; arrays and objects are equal only when they are the same instance,
    /// which the caller decides (`sameInstance`).
    static func looselyEqual(_ lhs: ExpressionValue, _ rhs: ExpressionValue, sameInstance: Bool) -> Bool {
        switch coerced(lhs, rhs) {
        case (.null, .null): true
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): OrdinalIgnoreCase.equals(a, b)
        case (.bool(let a), .bool(let b)): a == b
        case (.array, .array), (.object, .object): sameInstance
        default: false
        }
    }

    /// `>` by GitHub's rules: coerced as for `==`; numbers (false when either is NaN), strings
    /// ignoring case, `true > false`; any other pair is false.
    static func looselyGreater(_ lhs: ExpressionValue, _ rhs: ExpressionValue) -> Bool {
        switch coerced(lhs, rhs) {
        case (.number(let a), .number(let b)): a > b
        case (.string(let a), .string(let b)): OrdinalIgnoreCase.compare(a, b) > 0
        case (.bool(let a), .bool(let b)): a && !b
        default: false
        }
    }

    /// `<` by GitHub's rules; see `looselyGreater`.
    static func looselyLess(_ lhs: ExpressionValue, _ rhs: ExpressionValue) -> Bool {
        switch coerced(lhs, rhs) {
        case (.number(let a), .number(let b)): a < b
        case (.string(let a), .string(let b)): OrdinalIgnoreCase.compare(a, b) < 0
        case (.bool(let a), .bool(let b)): !a && b
        default: false
        }
    }

    /// The operands after GitHub's type coercion (runner `CoerceTypes`, modelled on the
    /// JavaScript abstract equality algorithm except that arrays and objects are not converted).
    private static func coerced(_ lhs: ExpressionValue, _ rhs: ExpressionValue) -> (ExpressionValue, ExpressionValue) {
        switch (lhs, rhs) {
        case (.null, .null), (.bool, .bool), (.number, .number), (.string, .string), (.array, .array), (.object, .object):
            return (lhs, rhs)
        case (.number, .string):
            return (lhs, .number(rhs.coercedNumber))
        case (.string, .number):
            return (.number(lhs.coercedNumber), rhs)
        case (.null, _), (.bool, _):
            return coerced(.number(lhs.coercedNumber), rhs)
        case (_, .null), (_, .bool):
            return coerced(lhs, .number(rhs.coercedNumber))
        default:
            return (lhs, rhs)
        }
    }
}
