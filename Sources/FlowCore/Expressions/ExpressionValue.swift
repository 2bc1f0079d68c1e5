/// A value in the expression language and in `with:` inputs: the JSON data model, as GitHub
/// Actions expressions use it. Numbers are IEEE 754 doubles (GitHub's rule).
public enum ExpressionValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([ExpressionValue])
    case object([String: ExpressionValue])

    /// The string inside `.string`, else nil.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The array inside `.array`, else nil.
    public var arrayValue: [ExpressionValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The dictionary inside `.object`, else nil.
    public var objectValue: [String: ExpressionValue]? {
        if case .object(let o) = self { return o }
        return nil
    }
}
