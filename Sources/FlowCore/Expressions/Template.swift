/// A string that may contain `${{ … }}` expressions, such as a `with:` value, an `env:` value or a
/// `run:` script.
///
/// There is no escape for `${{`; write `${{ '${{' }}` for the literal text. Inside an expression,
/// a `}}` within a single-quoted string does not end it (`${{ format('}}') }}`).
public struct Template: Sendable, Hashable {
    /// A piece of the text: literal text, or an expression with the range of its whole
    /// `${{ … }}` (0-based Unicode-scalar `offset` of the `$`, `length` through the closing `}}`).
    /// The expression's `source` starts at `offset + 3`.
    public enum Segment: Sendable, Hashable {
        case literal(String)
        case expression(Expression, offset: Int, length: Int)
    }

    /// The pieces in order; adjacent literals are merged and empty literals dropped.
    public let segments: [Segment]

    /// Parses `text`.
    ///
    /// - Throws: `ExpressionError` with an offset into `text`: an unterminated `${{` (pointing at
    ///   it), an empty `${{ }}`, or any error of `Expression.parse` (shifted to its place in `text`).
    public static func parse(_ text: String) throws(ExpressionError) -> Template {
        var errors: [ExpressionError] = []
        let template = parse(text, errors: &errors, stopAtFirst: true)
        if let first = errors.first { throw first }
        return template
    }

    /// Parses `text`, going on past an expression that does not parse, so a checker can report
    /// every problem in one pass.
    ///
    /// - Returns: the expressions that parse (those that do not are left out, with the text
    ///   between them), and every syntax error in order, as `parse` would throw them; an
    ///   unterminated `${{` ends the scan.
    public static func parseAll(_ text: String) -> (template: Template, errors: [ExpressionError]) {
        var errors: [ExpressionError] = []
        let template = parse(text, errors: &errors, stopAtFirst: false)
        return (template, errors)
    }

    private static func parse(_ text: String, errors: inout [ExpressionError], stopAtFirst: Bool) -> Template {
        let bytes = Array(text.utf8)
        guard let first = opener(in: bytes, from: 0) else {
            return Template(segments: text.isEmpty ? [] : [.literal(text)])
        }
        var segments: [Segment] = []
        var literalStart = 0  // byte index where the pending literal starts
        var open = first  // byte index of the next "${{"
        var offset = scalarCount(bytes, 0..<first)  // scalar offset of `open`
        while true {
            let bodyStart = open + 3
            guard let close = closingBraces(bytes, from: bodyStart) else {
                errors.append(ExpressionError("unterminated '${{'; expected '}}' to close it", offset: offset, length: 3))
                break
            }
            let bodyLength = scalarCount(bytes, bodyStart..<close)
            let length = bodyLength + 5
            let body = String(decoding: bytes[bodyStart..<close], as: UTF8.self)
            var expression: Expression?
            if body.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
                errors.append(ExpressionError("empty expression '${{ }}'", offset: offset, length: length))
            } else {
                do throws(ExpressionError) {
                    expression = try Expression.parse(body)
                } catch {
                    errors.append(error.shifted(by: offset + 3))
                }
            }
            if stopAtFirst, !errors.isEmpty { break }
            if literalStart < open {
                appendLiteral(String(decoding: bytes[literalStart..<open], as: UTF8.self), to: &segments)
            }
            if let expression {
                segments.append(.expression(expression, offset: offset, length: length))
            }
            literalStart = close + 2
            offset += length
            guard let next = opener(in: bytes, from: literalStart) else { break }
            offset += scalarCount(bytes, literalStart..<next)
            open = next
        }
        if literalStart < bytes.count {
            appendLiteral(String(decoding: bytes[literalStart...], as: UTF8.self), to: &segments)
        }
        return Template(segments: segments)
    }

    /// Appends `text`, merged into a literal just before it (there is one when `parseAll` left
    /// out an expression between them).
    private static func appendLiteral(_ text: String, to segments: inout [Segment]) {
        if case .literal(let previous)? = segments.last {
            segments[segments.count - 1] = .literal(previous + text)
        } else {
            segments.append(.literal(text))
        }
    }

    /// Whether there are no expressions.
    public var isLiteral: Bool {
        !segments.contains { if case .expression = $0 { true } else { false } }
    }

    /// Every context path read, in order, with offsets into the whole template text.
    public var references: [ExpressionReference] {
        var result: [ExpressionReference] = []
        for case .expression(let expression, let offset, _) in segments {
            for var reference in expression.references {
                reference.offset += offset + 3
                result.append(reference)
            }
        }
        return result
    }

    /// The text with each expression replaced by its value's `renderedString` (null → empty,
    /// numbers as GitHub prints them, `true`/`false`, arrays and objects as pretty JSON).
    ///
    /// - Throws: `ExpressionError` from evaluation, with its offset into the whole template text.
    public func render(in context: ExpressionContext) throws(ExpressionError) -> String {
        var out = ""
        for segment in segments {
            switch segment {
            case .literal(let text):
                out += text
            case .expression(let expression, let offset, _):
                out += try Self.value(of: expression, at: offset, in: context).renderedString
            }
        }
        return out
    }

    /// The value: an expression that is the whole template (no text around it) keeps its type
    /// (`${{ fromJSON('[1]') }}` is an array); anything else is the rendered string.
    ///
    /// - Throws: `ExpressionError` from evaluation, with its offset into the whole template text.
    public func evaluate(in context: ExpressionContext) throws(ExpressionError) -> ExpressionValue {
        if segments.count == 1, case .expression(let expression, let offset, _) = segments[0] {
            return try Self.value(of: expression, at: offset, in: context)
        }
        return .string(try render(in: context))
    }

    static func value(of expression: Expression, at offset: Int, in context: ExpressionContext) throws(ExpressionError) -> ExpressionValue {
        do throws(ExpressionError) {
            return try expression.evaluate(in: context)
        } catch {
            throw error.shifted(by: offset + 3)
        }
    }

    /// Byte index of the `}}` that closes an expression whose body starts at `start`: the first
    /// one outside single-quoted strings, or, when quotes never balance, the first one at all (so
    /// the expression parser reports the unterminated string).
    private static func closingBraces(_ s: [UInt8], from start: Int) -> Int? {
        let quote = UInt8(ascii: "'"), brace = UInt8(ascii: "}")
        var inString = false
        var i = start
        while i + 1 < s.count {
            if s[i] == quote {
                inString.toggle()
            } else if !inString, s[i] == brace, s[i + 1] == brace {
                return i
            }
            i += 1
        }
        i = start
        while i + 1 < s.count {
            if s[i] == brace, s[i + 1] == brace { return i }
            i += 1
        }
        return nil
    }

    /// Byte index of the next `${{` at or after `start`.
    private static func opener(in s: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + 2 < s.count {
            if s[i] == UInt8(ascii: "$"), s[i + 1] == UInt8(ascii: "{"), s[i + 2] == UInt8(ascii: "{") { return i }
            i += 1
        }
        return nil
    }

    /// Unicode scalars in the UTF-8 bytes `range` of `s` (bytes that are not continuation bytes).
    private static func scalarCount(_ s: [UInt8], _ range: Range<Int>) -> Int {
        var count = 0
        for k in range where s[k] & 0xC0 != 0x80 { count += 1 }
        return count
    }
}
