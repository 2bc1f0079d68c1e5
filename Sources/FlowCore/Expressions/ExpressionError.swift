/// A syntax or evaluation error in a `${{ }}` expression, with the part of the text it is about.
///
/// `offset` and `length` count Unicode scalars, 0-based, into the text that was parsed: the
/// expression source for `Expression`, the whole template text for `Template` and
/// `ShellSubstitution`, the whole condition text for `Condition`, the JSON text for
/// `ExpressionValue(parsingJSON:)`. `length` may be 0 (a point, such as the end of the text).
/// `message` is a lower-case phrase for compiler-style rendering ("unexpected ')'",
/// "unknown function 'contain'; did you mean 'contains'?"); nobody parses it.
public struct ExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, as a phrase without a trailing period.
    public var message: String
    /// 0-based Unicode-scalar offset of the offending text.
    public var offset: Int
    /// Length of the offending text in Unicode scalars; 0 for a point.
    public var length: Int

    public init(_ message: String, offset: Int, length: Int) {
        self.message = message
        self.offset = offset
        self.length = length
    }

    /// `message (at offset N)`.
    public var description: String { "\(message) (at offset \(offset))" }

    /// The same error with its offset moved by `delta`, for an expression embedded in a larger text.
    func shifted(by delta: Int) -> ExpressionError {
        ExpressionError(message, offset: offset + delta, length: length)
    }
}
