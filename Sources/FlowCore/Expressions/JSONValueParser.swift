/// A strict RFC 8259 JSON reader producing `ExpressionValue`s, for `fromJSON()`.
///
/// Works on Unicode scalars so error offsets are scalar offsets into the text. Nesting is limited
/// to `maxDepth` levels so hostile input cannot exhaust the stack.
struct JSONValueParser {
    static let maxDepth = 256

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var depth = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// One JSON value with optional surrounding whitespace and nothing else.
    mutating func parseDocument() throws(ExpressionError) -> ExpressionValue {
        skipWhitespace()
        if position == scalars.count { throw ExpressionError("expected a JSON value, found end of text", offset: position, length: 0) }
        let value = try parseValue()
        skipWhitespace()
        if position < scalars.count { throw unexpected("after the JSON value") }
        return value
    }

    private mutating func parseValue() throws(ExpressionError) -> ExpressionValue {
        guard position < scalars.count else {
            throw ExpressionError("unexpected end of JSON text", offset: position, length: 0)
        }
        switch scalars[position] {
        case "{": return try parseObject()
        case "[": return try parseArray()
        case "\"": return .string(try parseString())
        case "t": return try keyword("true", .bool(true))
        case "f": return try keyword("false", .bool(false))
        case "n": return try keyword("null", .null)
        case "-", "0"..."9": return .number(try parseNumber())
        default: throw unexpected("in JSON")
        }
    }

    private mutating func parseObject() throws(ExpressionError) -> ExpressionValue {
        try enter()
        position += 1
        var members: [String: ExpressionValue] = [:]
        skipWhitespace()
        if peek == "}" {
            position += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek == "\"" else { throw unexpected("where a JSON object key was expected") }
            let key = try parseString()
            skipWhitespace()
            guard peek == ":" else { throw unexpected("where ':' was expected") }
            position += 1
            skipWhitespace()
            members[key] = try parseValue()
            skipWhitespace()
            if peek == "," {
                position += 1
                continue
            }
            guard peek == "}" else { throw unexpected("where ',' or '}' was expected") }
            position += 1
            depth -= 1
            return .object(members)
        }
    }

    private mutating func parseArray() throws(ExpressionError) -> ExpressionValue {
        try enter()
        position += 1
        var items: [ExpressionValue] = []
        skipWhitespace()
        if peek == "]" {
            position += 1
            depth -= 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            if peek == "," {
                position += 1
                continue
            }
            guard peek == "]" else { throw unexpected("where ',' or ']' was expected") }
            position += 1
            depth -= 1
            return .array(items)
        }
    }

    private mutating func parseString() throws(ExpressionError) -> String {
        let start = position
        position += 1
        var out = String.UnicodeScalarView()
        while true {
            guard position < scalars.count else {
                throw ExpressionError("unterminated JSON string", offset: start, length: position - start)
            }
            let c = scalars[position]
            position += 1
            switch c {
            case "\"":
                return String(out)
            case "\\":
                guard position < scalars.count else { continue }
                let e = scalars[position]
                position += 1
                switch e {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "/": out.append("/")
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "u":
                    var unit = try hex4(at: position - 2)
                    if (0xD800...0xDBFF).contains(unit), position + 1 < scalars.count,
                        scalars[position] == "\\", scalars[position + 1] == "u"
                    {
                        let save = position
                        position += 2
                        let low = try hex4(at: save)
                        if (0xDC00...0xDFFF).contains(low) {
                            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            position = save
                        }
                    }
                    out.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                default:
                    throw ExpressionError("invalid escape '\\\(e)' in JSON string", offset: position - 2, length: 2)
                }
            default:
                if c.value < 0x20 {
                    throw ExpressionError("control character in JSON string", offset: position - 1, length: 1)
                }
                out.append(c)
            }
        }
    }

    /// Four hex digits at `position`, advancing past them; `escapeStart` locates errors.
    private mutating func hex4(at escapeStart: Int) throws(ExpressionError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < scalars.count, let digit = Self.hexValue(scalars[position]) else {
                throw ExpressionError("invalid \\u escape in JSON string", offset: escapeStart, length: 2)
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    private static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": c.value - 0x30
        case "a"..."f": c.value - 0x61 + 10
        case "A"..."F": c.value - 0x41 + 10
        default: nil
        }
    }

    private mutating func parseNumber() throws(ExpressionError) -> Double {
        let start = position
        func digits(_ p: inout Int) -> Int {
            let s = p
            while p < scalars.count, ("0"..."9").contains(scalars[p]) { p += 1 }
            return p - s
        }
        var p = position
        if scalars[p] == "-" { p += 1 }
        guard p < scalars.count, ("0"..."9").contains(scalars[p]) else {
            position = p
            throw unexpected("in JSON number")
        }
        if scalars[p] == "0" { p += 1 } else { _ = digits(&p) }
        if p < scalars.count, scalars[p] == "." {
            p += 1
            if digits(&p) == 0 {
                position = p
                throw unexpected("in JSON number")
            }
        }
        if p < scalars.count, scalars[p] == "e" || scalars[p] == "E" {
            p += 1
            if p < scalars.count, scalars[p] == "+" || scalars[p] == "-" { p += 1 }
            if digits(&p) == 0 {
                position = p
                throw unexpected("in JSON number")
            }
        }
        position = p
        let text = String(String.UnicodeScalarView(scalars[start..<p]))
        return Double(text) ?? .nan
    }

    private mutating func keyword(_ word: String, _ value: ExpressionValue) throws(ExpressionError) -> ExpressionValue {
        for expected in word.unicodeScalars {
            guard position < scalars.count, scalars[position] == expected else { throw unexpected("in JSON") }
            position += 1
        }
        return value
    }

    private mutating func enter() throws(ExpressionError) {
        depth += 1
        if depth > Self.maxDepth {
            throw ExpressionError("JSON nests more than \(Self.maxDepth) levels", offset: position, length: 1)
        }
    }

    private var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func skipWhitespace() {
        while position < scalars.count {
            switch scalars[position] {
            case " ", "\t", "\n", "\r": position += 1
            default: return
            }
        }
    }

    private func unexpected(_ where: String) -> ExpressionError {
        guard position < scalars.count else {
            return ExpressionError("unexpected end of JSON text", offset: position, length: 0)
        }
        return ExpressionError("unexpected '\(scalars[position])' \(`where`)", offset: position, length: 1)
    }
}
