/// Splits expression text into tokens by GitHub's lexical rules (actions/languageservices
/// `lexer.ts`, actions/runner `LexicalAnalyzer`):
///
/// - strings in single quotes, `''` for a quote; double quotes are an error;
/// - numbers start with a digit, `+`, `-` or a `.` not following a name, `)`, `]` or `*`, run to
///   the next `( [ ) ] , ! < > = & |` or space, and are read by GitHub's number rules (`0xff`,
///   `-2.99e-2`, `.5`, `Infinity`);
/// - names start with a letter or `_` and go on with letters, digits, `_` and `-`; `true`, `false`,
///   `null`, `NaN` and `Infinity` are literals except right after a `.`.
///
/// Works on UTF-8 bytes (every token but a string is ASCII) and counts Unicode scalars for the
/// token offsets.
struct ExpressionLexer {
    /// GitHub's limit on expression length (actions/runner `ExpressionConstants.MaxLength`).
    static let maxLength = 21_000

    private let bytes: [UInt8]
    /// Byte position and the Unicode-scalar offset it corresponds to.
    private var position = 0
    private var offset = 0
    private var tokens: [ExpressionToken] = []

    /// The tokens of `source`, ending with an `.end` token at its length in Unicode scalars.
    ///
    /// - Throws: `ExpressionError` for an unterminated string, a double-quoted string, a malformed
    ///   number, a lone `=`, `&` or `|`, or any other character sequence that is not a token.
    static func tokenize(_ source: String) throws(ExpressionError) -> [ExpressionToken] {
        var lexer = ExpressionLexer(bytes: Array(source.utf8))
        try lexer.run()
        return lexer.tokens
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        tokens.reserveCapacity(bytes.count / 3 + 2)
    }

    private mutating func run() throws(ExpressionError) {
        while position < bytes.count {
            let startByte = position
            let start = offset
            let c = bytes[position]
            advance()
            switch c {
            case UInt8(ascii: "("): add(.leftParen, start)
            case UInt8(ascii: ")"): add(.rightParen, start)
            case UInt8(ascii: "["): add(.leftBracket, start)
            case UInt8(ascii: "]"): add(.rightBracket, start)
            case UInt8(ascii: ","): add(.comma, start)
            case UInt8(ascii: "*"): add(.star, start)
            case UInt8(ascii: "."):
                switch tokens.last?.kind {
                case .identifier, .rightBracket, .rightParen, .star: add(.dot, start)
                default: try number(startByte, start)
                }
            case UInt8(ascii: "-"), UInt8(ascii: "+"): try number(startByte, start)
            case UInt8(ascii: "!"): add(match(UInt8(ascii: "=")) ? .bangEqual : .bang, start)
            case UInt8(ascii: "<"): add(match(UInt8(ascii: "=")) ? .lessEqual : .less, start)
            case UInt8(ascii: ">"): add(match(UInt8(ascii: "=")) ? .greaterEqual : .greater, start)
            case UInt8(ascii: "="):
                guard match(UInt8(ascii: "=")) else {
                    throw ExpressionError("unexpected '='; did you mean '=='?", offset: start, length: 1)
                }
                add(.equalEqual, start)
            case UInt8(ascii: "&"):
                guard match(UInt8(ascii: "&")) else {
                    throw ExpressionError("unexpected '&'; did you mean '&&'?", offset: start, length: 1)
                }
                add(.and, start)
            case UInt8(ascii: "|"):
                guard match(UInt8(ascii: "|")) else {
                    throw ExpressionError("unexpected '|'; did you mean '||'?", offset: start, length: 1)
                }
                add(.or, start)
            case UInt8(ascii: "'"): try string(start)
            case UInt8(ascii: "\""):
                while position < bytes.count, bytes[position] != UInt8(ascii: "\"") { advance() }
                let length = position < bytes.count ? offset + 1 - start : 1
                throw ExpressionError("strings are written in single quotes ('text'), not double quotes", offset: start, length: length)
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                try number(startByte, start)
            default:
                if c >= 0x80, Self.isWhitespace(bytes, at: startByte) { continue }
                try identifier(startByte, start)
            }
        }
        if offset > Self.maxLength {
            throw ExpressionError(
                "expression is longer than \(Self.maxLength) characters", offset: Self.maxLength, length: offset - Self.maxLength)
        }
        tokens.append(ExpressionToken(kind: .end, offset: offset, length: 0))
    }

    /// Moves past one byte, counting a scalar unless it is a UTF-8 continuation byte.
    private mutating func advance() {
        if bytes[position] & 0xC0 != 0x80 { offset += 1 }
        position += 1
    }

    private mutating func add(_ kind: ExpressionToken.Kind, _ start: Int) {
        tokens.append(ExpressionToken(kind: kind, offset: start, length: offset - start))
    }

    private mutating func match(_ expected: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == expected else { return false }
        advance()
        return true
    }

    private mutating func number(_ startByte: Int, _ start: Int) throws(ExpressionError) {
        while position < bytes.count, bytes[position] == UInt8(ascii: ".") || !isBoundary(at: position) { advance() }
        let text = String(decoding: bytes[startByte..<position], as: UTF8.self)
        if text == "+" || text == "-" || text == "." {
            let note = text == "." ? "" : " (expressions have no arithmetic)"
            throw ExpressionError("unexpected '\(text)'\(note)", offset: start, length: 1)
        }
        let value = ExpressionValue.gitHubNumber(parsing: text[...])
        if value.isNaN {
            throw ExpressionError("invalid number '\(text)'", offset: start, length: offset - start)
        }
        add(.number(value), start)
    }

    private mutating func string(_ start: Int) throws(ExpressionError) {
        var value: [UInt8] = []
        var runStart = position
        while true {
            guard position < bytes.count else {
                throw ExpressionError("unterminated string; strings end with a single quote", offset: start, length: offset - start)
            }
            if bytes[position] == UInt8(ascii: "'") {
                value.append(contentsOf: bytes[runStart..<position])
                advance()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "'") else { break }
                advance()
                runStart = position - 1  // keep one quote of the pair
            } else {
                advance()
            }
        }
        add(.string(String(decoding: value, as: UTF8.self)), start)
    }

    private mutating func identifier(_ startByte: Int, _ start: Int) throws(ExpressionError) {
        while position < bytes.count, !isBoundary(at: position) { advance() }
        let name = bytes[startByte..<position]
        let lexeme = String(decoding: name, as: UTF8.self)
        guard Self.isLegalName(name) else {
            throw ExpressionError("unexpected '\(lexeme)'", offset: start, length: offset - start)
        }
        var kind = ExpressionToken.Kind.identifier(lexeme)
        if case .dot? = tokens.last?.kind {
        } else {
            switch lexeme {
            case "true": kind = .trueLiteral
            case "false": kind = .falseLiteral
            case "null": kind = .nullLiteral
            case "NaN": kind = .number(.nan)
            case "Infinity": kind = .number(.infinity)
            default: break
            }
        }
        add(kind, start)
    }

    private func isBoundary(at p: Int) -> Bool {
        switch bytes[p] {
        case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: ","),
            UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: "="),
            UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"),
            UInt8(ascii: "\r"):
            true
        case 0x80...: Self.isWhitespace(bytes, at: p)
        default: false
        }
    }

    /// Whether the non-ASCII scalar whose UTF-8 encoding starts at `p` is white space.
    private static func isWhitespace(_ bytes: [UInt8], at p: Int) -> Bool {
        let lead = bytes[p]
        guard lead & 0xC0 == 0xC0 else { return false }
        let count = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard p + count <= bytes.count else { return false }
        var value = UInt32(lead & (0xFF >> (count + 1)))
        for k in 1..<count { value = value << 6 | UInt32(bytes[p + k] & 0x3F) }
        return Unicode.Scalar(value)?.properties.isWhitespace ?? false
    }

    private static func isLegalName(_ name: ArraySlice<UInt8>) -> Bool {
        guard let first = name.first else { return false }
        switch first {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): break
        default: return false
        }
        for c in name.dropFirst() {
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                continue
            default:
                return false
            }
        }
        return true
    }
}
