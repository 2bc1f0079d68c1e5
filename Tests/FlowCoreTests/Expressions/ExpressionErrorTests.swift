import FlowCore
import Testing

/// An expression that must not parse (or evaluate), with the message and the 0-based
/// Unicode-scalar range the error must point at.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    var expression: String
    var message: String
    var offset: Int
    var length: Int
    var contexts: [String: ExpressionValue] = [:]
    var testDescription: String { expression }
}

@Suite("Expression errors")
struct ExpressionErrorTests {
    // Offsets counted by hand; where GitHub's reference test data reports the same error
    // (actions/languageservices testdata, 1-based "position"), the row cites it.
    static let syntax: [ErrorCase] = [
        // op_dot.json: "Unexpected symbol: 'b@r'. Located at position 5".
        ErrorCase(expression: "foo.b@r", message: "unexpected 'b@r'", offset: 4, length: 3),
        // op_dot.json: "Unexpected symbol: '1'. Located at position 5".
        ErrorCase(expression: "foo.1", message: "unexpected '1'; expected a property name or '*' after '.'", offset: 4, length: 1),
        // op_dot.json: position 14.
        ErrorCase(
            expression: "fromjson('').1", message: "unexpected '1'; expected a property name or '*' after '.'", offset: 13, length: 1),
        // op_dot.json: position 8.
        ErrorCase(expression: "foo[1].2", message: "unexpected '2'; expected a property name or '*' after '.'", offset: 7, length: 1),
        // join.json: too few / too many parameters.
        ErrorCase(expression: "join()", message: "join() takes 1 or 2 arguments, not 0", offset: 0, length: 6),
        ErrorCase(expression: "join(1, 2, 3)", message: "join() takes 1 or 2 arguments, not 3", offset: 0, length: 13),
        // docs "Literals": "Wrapping with double quotes (") will throw an error."
        ErrorCase(
            expression: "github.ref == \"main\"", message: "strings are written in single quotes ('text'), not double quotes", offset: 14,
            length: 6),
        ErrorCase(expression: "contain('abc', 'b')", message: "unknown function 'contain'; did you mean 'contains'?", offset: 0, length: 7),
        ErrorCase(expression: "hashFiles('x')", message: "unknown function 'hashFiles'", offset: 0, length: 9),
        ErrorCase(expression: "contains('a')", message: "contains() takes 2 arguments, not 1", offset: 0, length: 13),
        ErrorCase(expression: "success(1)", message: "success() takes 0 arguments, not 1", offset: 0, length: 10),
        ErrorCase(expression: "format()", message: "format() takes 1 to 255 arguments, not 0", offset: 0, length: 8),
        ErrorCase(expression: "1 == 1)", message: "unexpected ')'", offset: 6, length: 1),
        ErrorCase(expression: "(1 == 1", message: "unexpected end of expression; expected ')'", offset: 7, length: 0),
        ErrorCase(expression: "matrix[0", message: "unexpected end of expression; expected ']'", offset: 8, length: 0),
        ErrorCase(expression: "'abc", message: "unterminated string; strings end with a single quote", offset: 0, length: 4),
        ErrorCase(expression: "a = b", message: "unexpected '='; did you mean '=='?", offset: 2, length: 1),
        ErrorCase(expression: "a & b", message: "unexpected '&'; did you mean '&&'?", offset: 2, length: 1),
        ErrorCase(expression: "a | b", message: "unexpected '|'; did you mean '||'?", offset: 2, length: 1),
        ErrorCase(expression: "1 + 2", message: "unexpected '+' (expressions have no arithmetic)", offset: 2, length: 1),
        ErrorCase(expression: "1 2", message: "unexpected '2'", offset: 2, length: 1),
        ErrorCase(expression: "0x", message: "invalid number '0x'", offset: 0, length: 2),
        ErrorCase(expression: "1.2.3", message: "invalid number '1.2.3'", offset: 0, length: 5),
        ErrorCase(
            expression: "foo.", message: "unexpected end of expression; expected a property name or '*' after '.'", offset: 4, length: 0),
        ErrorCase(expression: "'abc'[0]", message: "unexpected '['", offset: 5, length: 1),
        ErrorCase(expression: "contains(a b)", message: "unexpected 'b'; expected ',' or ')'", offset: 11, length: 1),
        ErrorCase(expression: "contains(a,)", message: "unexpected ')'", offset: 11, length: 1),
        ErrorCase(expression: "", message: "expected an expression", offset: 0, length: 0),
        ErrorCase(expression: "   ", message: "expected an expression", offset: 0, length: 3),
        ErrorCase(expression: "1 ==", message: "unexpected end of expression", offset: 4, length: 0),
        ErrorCase(expression: "é == 1", message: "unexpected 'é'", offset: 0, length: 1),
        // Offsets count Unicode scalars: the string before the error is 4 scalars ('😀' and quotes).
        ErrorCase(expression: "'😀' ==", message: "unexpected end of expression", offset: 6, length: 0),
        // actions/runner ExpressionConstants.MaxDepth = 50: the 51st "(" (offset 50) is one level too deep.
        ErrorCase(
            expression: String(repeating: "(", count: 51) + "1" + String(repeating: ")", count: 51),
            message: "expression nests more than 50 levels", offset: 50, length: 1),
    ]

    @Test("reports syntax errors with their place", arguments: syntax)
    func syntaxError(_ row: ErrorCase) {
        #expect(throws: ExpressionError(row.message, offset: row.offset, length: row.length)) {
            try Expression.parse(row.expression)
        }
    }

    // Evaluation errors point at the offending name or call. format(): ls format.json ("Invalid
    // format string", "Format string references {1} but only 1 argument(s) provided").
    static let evaluation: [ErrorCase] = [
        ErrorCase(expression: "nope.x == 1", message: "unknown context 'nope'", offset: 0, length: 4, contexts: ["params": .object([:])]),
        ErrorCase(
            expression: "parms.source", message: "unknown context 'parms'; did you mean 'params'?", offset: 0, length: 5,
            contexts: ["params": .object([:]), "steps": .object([:])]),
        ErrorCase(
            expression: "format('{0}')", message: "format(): '{0}' needs 1 value after the format string, but 0 are given", offset: 0,
            length: 13),
        ErrorCase(
            expression: "format('{0}{1}', 'abc')", message: "format(): '{1}' needs 2 values after the format string, but 1 is given",
            offset: 0, length: 23),
        ErrorCase(
            expression: "format('{0', '')",
            message: "format(): invalid format string '{0'; write '{N}' for the N-th value and '{{' or '}}' for a brace", offset: 0,
            length: 16),
        ErrorCase(
            expression: "format('0}', '')",
            message: "format(): invalid format string '0}'; write '{N}' for the N-th value and '{{' or '}}' for a brace", offset: 0,
            length: 16),
        ErrorCase(
            expression: "1 == 1 && format('}{0}', '')",
            message: "format(): invalid format string '}{0}'; write '{N}' for the N-th value and '{{' or '}}' for a brace", offset: 10,
            length: 18),
        ErrorCase(
            expression: "format('{0:yyyy}', 1)", message: "format(): format specifiers such as '{0:…}' are not supported", offset: 0,
            length: 21),
        ErrorCase(
            expression: "fromJSON('{\"a\": }')", message: "fromJSON(): unexpected '}' in JSON (at character 7 of the JSON text)", offset: 0,
            length: 19),
        ErrorCase(
            expression: "fromJSON('')", message: "fromJSON(): expected a JSON value, found end of text (at character 1 of the JSON text)",
            offset: 0, length: 12),
    ]

    @Test("reports evaluation errors with their place", arguments: evaluation)
    func evaluationError(_ row: ErrorCase) throws {
        let expression = try Expression.parse(row.expression)
        #expect(throws: ExpressionError(row.message, offset: row.offset, length: row.length)) {
            try expression.evaluate(in: ExpressionContext(values: row.contexts))
        }
    }

    @Test("short-circuiting skips operands that would fail")
    func shortCircuit() throws {
        let context = ExpressionContext(values: [:])
        #expect(try Expression.parse("false && fromJSON('')").evaluate(in: context) == .bool(false))
        #expect(try Expression.parse("'x' || nope.y").evaluate(in: context) == .string("x"))
    }
}
