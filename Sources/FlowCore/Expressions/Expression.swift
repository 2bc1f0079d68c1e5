/// A parsed `${{ … }}` expression in GitHub Actions' expression language.
///
/// Grammar, operators, coercions and functions follow GitHub's documentation
/// (docs.github.com/actions/reference/workflows-and-actions/expressions) and, where it is silent,
/// GitHub's runner and its reference implementation (actions/runner `Expressions2`,
/// actions/languageservices `expressions`): literals `null`, `true`, `false`, numbers (`711`,
/// `-9.2`, `0xff`, `-2.99e-2`, `NaN`, `Infinity`), `'strings'` with `''` for a quote; operators
/// `( ) [ ] . ! < <= > >= == != && ||`; object filters `a.*.b`; functions `success()`,
/// `failure()`, `always()`, `cancelled()`, `contains()`, `startsWith()`, `endsWith()`, `format()`,
/// `join()`, `toJSON()`, `fromJSON()` (names ignore case).
///
/// Equality of two values is by their source text: the tree is a function of it.
public struct Expression: Sendable, Hashable {
    /// The text that was parsed: what stands between `${{` and `}}`, or a bare `if:` condition.
    public let source: String
    /// Every context path read, in source order; offsets are into `source`. See
    /// `ExpressionReference` for how paths are cut.
    public let references: [ExpressionReference]
    /// Whether `success()`, `failure()`, `always()` or `cancelled()` is called anywhere (then an
    /// `if:` condition does not get GitHub's implicit `success() &&`).
    public let callsStatusFunction: Bool

    let root: ExpressionNode

    /// Parses `source`. Only syntax and function names/argument counts are checked; context names
    /// are not (the validator checks `references`; evaluation rejects unknown names).
    ///
    /// - Throws: `ExpressionError` with a 0-based Unicode-scalar offset into `source`: empty text,
    ///   unexpected or unterminated tokens, unknown functions (with a "did you mean"), wrong
    ///   argument counts, more than 50 levels of nesting, more than 21,000 characters.
    public static func parse(_ source: String) throws(ExpressionError) -> Expression {
        let tokens = try ExpressionLexer.tokenize(source)
        var parser = ExpressionParser(source: source, tokens: tokens)
        let root = try parser.parse()
        var references: [ExpressionReference] = []
        root.collectReferences(into: &references)
        return Expression(source: source, references: references, callsStatusFunction: parser.callsStatusFunction, root: root)
    }

    /// The expression's value in `context`.
    ///
    /// - Throws: `ExpressionError` (offset into `source`) when a context name is not in
    ///   `context.values`, when `format()` gets a bad format string or too few values, or when
    ///   `fromJSON()` gets text that is not JSON. Missing properties and indexes are null, not errors.
    public func evaluate(in context: ExpressionContext) throws(ExpressionError) -> ExpressionValue {
        try ExpressionEvaluator(context: context).evaluate(root)
    }

    public static func == (lhs: Expression, rhs: Expression) -> Bool { lhs.source == rhs.source }

    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}
