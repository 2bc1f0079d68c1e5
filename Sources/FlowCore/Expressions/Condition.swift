/// `if:` conditions, as GitHub evaluates them: written bare (`steps.a.outputs.ok == 'yes'`) or
/// wrapped whole in `${{ }}`; when no status check function is called, GitHub's implicit
/// `success() && (condition)` applies ("Status check functions" of
/// docs.github.com/actions/reference/workflows-and-actions/expressions).
///
/// Unlike GitHub, text mixing `${{ }}` with other text (`${{ a }} == b`, which GitHub treats as a
/// non-empty string and so always true) is an error here.
public enum Condition {
    /// The condition's expression, without the implicit `success() &&`.
    ///
    /// - Throws: `ExpressionError` with an offset into `text` (not into the expression source).
    public static func parse(_ text: String) throws(ExpressionError) -> Expression {
        try locate(text).expression
    }

    /// The context paths the condition reads, with offsets into `text`.
    ///
    /// - Throws: as `parse`.
    public static func references(in text: String) throws(ExpressionError) -> [ExpressionReference] {
        let (expression, base) = try locate(text)
        return expression.references.map {
            ExpressionReference(path: $0.path, offset: $0.offset + base, length: $0.length)
        }
    }

    /// Whether the condition holds: the truthiness of `success() && (expression)`, or of the
    /// expression alone when it calls a status check function.
    ///
    /// - Throws: `ExpressionError` from parsing or evaluation, offset into `text`.
    public static func evaluate(_ text: String, in context: ExpressionContext) throws(ExpressionError) -> Bool {
        let (expression, base) = try locate(text)
        do throws(ExpressionError) {
            return try evaluate(expression, in: context)
        } catch {
            throw error.shifted(by: base)
        }
    }

    /// Whether an already parsed condition holds (see `evaluate(_:in:)`).
    ///
    /// - Throws: `ExpressionError` from evaluation, offset into `expression.source`.
    public static func evaluate(_ expression: Expression, in context: ExpressionContext) throws(ExpressionError) -> Bool {
        if !expression.callsStatusFunction {
            let status = context.status
            if status.anyFailed || status.cancelled { return false }
        }
        return try expression.evaluate(in: context).isTruthy
    }

    /// The expression of `text` and the offset of its source in `text`.
    private static func locate(_ text: String) throws(ExpressionError) -> (expression: Expression, base: Int) {
        let template = try Template.parse(text)
        if template.isLiteral {
            return (try Expression.parse(text), 0)
        }
        var found: (Expression, Int)?
        var position = 0
        for segment in template.segments {
            switch segment {
            case .literal(let literal):
                let count = literal.unicodeScalars.count
                if !literal.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
                    throw ExpressionError(
                        "an 'if:' condition must be one expression: write it without '${{ }}', or put all of it inside", offset: position,
                        length: count)
                }
                position += count
            case .expression(let expression, let offset, let length):
                if found != nil {
                    throw ExpressionError(
                        "an 'if:' condition must be one expression: write it without '${{ }}', or put all of it inside one", offset: offset,
                        length: length)
                }
                found = (expression, offset + 3)
                position = offset + length
            }
        }
        return found!
    }
}
