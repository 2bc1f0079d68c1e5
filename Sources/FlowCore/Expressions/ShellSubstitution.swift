/// Puts expression values into a `run:` script so that no value can change the script's syntax.
///
/// Each `${{ … }}` (the n-th, counting from 1) is evaluated and rendered (`renderedString`), the
/// text is passed in the environment variable `FLOW_EXPR_<n>`, and the `${{ … }}` is replaced by a
/// reference to that variable written for the lexical context it stands in, so the shell takes
/// the value literally (no word splitting, globbing, or re-parsing):
///
/// | where the `${{ }}` stands                  | replaced by                    |
/// |--------------------------------------------|--------------------------------|
/// | unquoted (also inside `$( )`, backquotes, `${ }`) | `"${FLOW_EXPR_1}"`      |
/// | inside double quotes, `"${x:-…}"`          | `${FLOW_EXPR_1}`               |
/// | inside single quotes                       | `'"${FLOW_EXPR_1}"'` (close, insert, reopen) |
/// | inside `$'…'`                              | `'"${FLOW_EXPR_1}"$'`          |
/// | inside backquotes inside double quotes     | `\"${FLOW_EXPR_1}\"`           |
/// | in a comment                               | `${FLOW_EXPR_1}` (inert)       |
/// | in an unquoted heredoc body (`<<EOF`)      | `${FLOW_EXPR_1}` (expanded once, never re-parsed) |
/// | in a quoted heredoc body (`<<'EOF'`, `<<"EOF"`, `<<\EOF`) | the value itself: no expansion happens there, so the text is literal; a value with a line break, or one that would make a line equal the delimiter, is an error |
/// | in arithmetic (`$(( ))`, `(( ))`, at any depth) | `${FLOW_EXPR_1}`, only when the value is a decimal integer (bash evaluates array subscripts in arithmetic, so anything else is an error) |
///
/// A backslash right before a `${{` would escape the first character of the replacement, so it
/// is dropped. The script is read by a small POSIX sh lexer (quotes, backslashes, comments,
/// `$( )`, `$(( ))`, `${ }`, backquotes, heredocs with `<<-`); it does not parse `case` patterns
/// inside `$( )` or bash's `[[ ]]`, whose `-eq` operands bash evaluates arithmetically — a value
/// compared there must be checked by the script. Error messages never contain values.
public enum ShellSubstitution {
    /// The script with every expression replaced by a variable reference, and the variables in
    /// order (`FLOW_EXPR_1`, `FLOW_EXPR_2`, … — one per `${{ }}`, repeats included) to add to the
    /// shell's environment.
    ///
    /// - Throws: `ExpressionError` with an offset into the whole script text: evaluation errors,
    ///   an expression in a heredoc delimiter, a multi-line or delimiter-equal value in a quoted
    ///   heredoc, a non-integer value in arithmetic, a value containing NUL.
    public static func prepare(_ script: Template, in context: ExpressionContext) throws(ExpressionError) -> (
        script: String, environment: [(name: String, value: String)]
    ) {
        if script.isLiteral {
            if case .literal(let text)? = script.segments.first { return (text, []) }
            return ("", [])
        }
        var items: [ShellScriptLexer.Item] = []
        var values: [String] = []
        var ranges: [(offset: Int, length: Int)] = []
        for segment in script.segments {
            switch segment {
            case .literal(let text):
                for scalar in text.unicodeScalars { items.append(.scalar(scalar)) }
            case .expression(let expression, let offset, let length):
                let value = try Template.value(of: expression, at: offset, in: context).renderedString
                if value.utf8.contains(0) {
                    throw ExpressionError("a value put into a script cannot contain a NUL character", offset: offset, length: length)
                }
                items.append(.expression(values.count))
                values.append(value)
                ranges.append((offset, length))
            }
        }
        var lexer = ShellScriptLexer(items: items, values: values, ranges: ranges)
        let text = try lexer.run()
        let environment = values.enumerated().map { (name: ShellScriptLexer.variableName($0.offset), value: $0.element) }
        return (text, environment)
    }
}
