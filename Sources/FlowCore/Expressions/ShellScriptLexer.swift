/// Rewrites a script whose expressions have been evaluated, replacing each by a variable
/// reference fit for its lexical context (see `ShellSubstitution`). Tracks the POSIX sh
/// (XCU 2.2–2.7) quoting contexts with a stack of frames.
struct ShellScriptLexer {
    /// A script character, or the n-th expression (0-based).
    enum Item {
        case scalar(Unicode.Scalar)
        case expression(Int)
    }

    struct Heredoc {
        var delimiter: [Unicode.Scalar]
        var stripTabs: Bool
        var quoted: Bool
    }

    enum Frame {
        case top
        /// `$( … )`; `depth` counts unclosed `(` inside.
        case command(depth: Int)
        case backtick(inDouble: Bool)
        case parameter(inDouble: Bool)
        /// `$(( … ))` or `(( … ))`; `depth` counts unclosed `(` inside.
        case arithmetic(depth: Int)
        case single
        case ansiC
        case double
        case comment
        case heredoc(Heredoc)
    }

    static func variableName(_ index: Int) -> String { "FLOW_EXPR_\(index + 1)" }

    private let items: [Item]
    private let values: [String]
    private let ranges: [(offset: Int, length: Int)]
    private var stack: [Frame] = [.top]
    private var out = String.UnicodeScalarView()
    private var i = 0
    private var atWordStart = true
    private var lineStart = false
    private var pendingHeredocs: [Heredoc] = []

    init(items: [Item], values: [String], ranges: [(offset: Int, length: Int)]) {
        self.items = items
        self.values = values
        self.ranges = ranges
    }

    mutating func run() throws(ExpressionError) -> String {
        while i < items.count {
            let frame = stack[stack.count - 1]
            if case .heredoc(let doc) = frame, lineStart {
                lineStart = false
                if try endsHeredoc(doc) { continue }
            }
            switch items[i] {
            case .expression(let n):
                try substitute(n, in: frame)
                i += 1
                atWordStart = false
            case .scalar(let c):
                try step(c, frame)
            }
        }
        return String(out)
    }

    // MARK: Contexts

    private mutating func step(_ c: Unicode.Scalar, _ frame: Frame) throws(ExpressionError) {
        switch frame {
        case .single:
            take()
            if c == "'" { stack.removeLast() }
        case .ansiC:
            if c == "\\" { return escape() }
            take()
            if c == "'" { stack.removeLast() }
        case .double:
            switch c {
            case "\"":
                take()
                stack.removeLast()
            case "\\": escape()
            case "`":
                take()
                stack.append(.backtick(inDouble: true))
            case "$": dollar(inDouble: true)
            default: take()
            }
        case .comment:
            if c == "\n" {
                stack.removeLast()
            } else {
                take()
            }
        case .heredoc(let doc):
            if doc.quoted {
                take()
                if c == "\n" { lineStart = true }
                return
            }
            switch c {
            case "\\": escape()
            case "`":
                take()
                stack.append(.backtick(inDouble: false))
            case "$": dollar(inDouble: true)
            case "\n":
                take()
                lineStart = true
            default: take()
            }
        case .arithmetic(let depth):
            switch c {
            case "(":
                take()
                stack[stack.count - 1] = .arithmetic(depth: depth + 1)
            case ")":
                take()
                if depth > 0 {
                    stack[stack.count - 1] = .arithmetic(depth: depth - 1)
                } else {
                    if scalar(at: i) == ")" { take() }
                    stack.removeLast()
                    atWordStart = false
                }
            case "$": dollar(inDouble: false)
            case "\\": escape()
            case "\"":
                take()
                stack.append(.double)
            case "'":
                take()
                stack.append(.single)
            case "`":
                take()
                stack.append(.backtick(inDouble: false))
            default: take()
            }
        case .top, .command, .backtick, .parameter:
            try unquoted(c, frame)
        }
    }

    /// A character outside quotes: at top level, in `$( )`, in backquotes or in `${ }`.
    private mutating func unquoted(_ c: Unicode.Scalar, _ frame: Frame) throws(ExpressionError) {
        var inParameter = false
        var parameterInDouble = false
        if case .parameter(let inDouble) = frame {
            inParameter = true
            parameterInDouble = inDouble
        }
        switch c {
        case "\\":
            escape()
            atWordStart = false
        case "'":
            take()
            if !parameterInDouble { stack.append(.single) }
            atWordStart = false
        case "\"":
            take()
            stack.append(.double)
            atWordStart = false
        case "`":
            take()
            if case .backtick = frame { stack.removeLast() } else { stack.append(.backtick(inDouble: false)) }
            atWordStart = false
        case "$":
            dollar(inDouble: parameterInDouble)
        case "}":
            take()
            if inParameter { stack.removeLast() }
            atWordStart = false
        case "(":
            take()
            if !inParameter, atWordStart, scalar(at: i) == "(" {
                take()
                stack.append(.arithmetic(depth: 0))
            } else if case .command(let depth) = frame {
                stack[stack.count - 1] = .command(depth: depth + 1)
            }
            atWordStart = true
        case ")":
            take()
            atWordStart = true
            if case .command(let depth) = frame {
                if depth == 0 {
                    stack.removeLast()
                    atWordStart = false
                } else {
                    stack[stack.count - 1] = .command(depth: depth - 1)
                }
            }
        case "#":
            take()
            if atWordStart, !inParameter { stack.append(.comment) }
            atWordStart = false
        case "<":
            if !inParameter, scalar(at: i + 1) == "<" {
                try heredocOperator()
            } else {
                take()
                atWordStart = true
            }
        case "\n":
            take()
            atWordStart = true
            if !inParameter, !pendingHeredocs.isEmpty {
                stack.append(.heredoc(pendingHeredocs.removeFirst()))
                lineStart = true
            }
        case " ", "\t", ";", "&", "|", ">":
            take()
            atWordStart = true
        default:
            take()
            atWordStart = false
        }
    }

    /// At a `$`: opens `$((`, `$(`, `${` or `$'` (outside double quotes), else a plain `$`.
    private mutating func dollar(inDouble: Bool) {
        let next = scalar(at: i + 1)
        if next == "(", scalar(at: i + 2) == "(" {
            take(3)
            stack.append(.arithmetic(depth: 0))
        } else if next == "(" {
            take(2)
            stack.append(.command(depth: 0))
            atWordStart = true
        } else if next == "{" {
            take(2)
            stack.append(.parameter(inDouble: inDouble))
        } else if next == "'", !inDouble {
            take(2)
            stack.append(.ansiC)
        } else {
            take()
            atWordStart = false
        }
    }

    /// At a backslash: it and the character after it are kept; before an expression it is dropped.
    private mutating func escape() {
        guard i + 1 < items.count else {
            take()
            return
        }
        switch items[i + 1] {
        case .expression:
            i += 1
        case .scalar:
            take(2)
        }
    }

    /// At `<<`: a here-string `<<<`, or a heredoc whose delimiter word is read and queued; its
    /// body starts after the next unquoted newline.
    private mutating func heredocOperator() throws(ExpressionError) {
        take(2)
        if scalar(at: i) == "<" {
            take()
            atWordStart = true
            return
        }
        var doc = Heredoc(delimiter: [], stripTabs: false, quoted: false)
        if scalar(at: i) == "-" {
            take()
            doc.stripTabs = true
        }
        while let c = scalar(at: i), c == " " || c == "\t" { take() }
        var any = false
        word: while i < items.count {
            guard case .scalar(let c) = items[i] else { throw delimiterError() }
            switch c {
            case " ", "\t", "\n", ";", "&", "|", "(", ")", "<", ">":
                break word
            case "'":
                doc.quoted = true
                take()
                while i < items.count {
                    guard case .scalar(let q) = items[i] else { throw delimiterError() }
                    take()
                    if q == "'" { break }
                    doc.delimiter.append(q)
                }
            case "\"":
                doc.quoted = true
                take()
                while i < items.count {
                    guard case .scalar(var q) = items[i] else { throw delimiterError() }
                    take()
                    if q == "\"" { break }
                    if q == "\\", let n = scalar(at: i), "$`\"\\".unicodeScalars.contains(n) {
                        take()
                        q = n
                    }
                    doc.delimiter.append(q)
                }
            case "\\":
                doc.quoted = true
                take()
                if i < items.count {
                    guard case .scalar(let q) = items[i] else { throw delimiterError() }
                    take()
                    doc.delimiter.append(q)
                }
            default:
                take()
                doc.delimiter.append(c)
            }
            any = true
        }
        if any { pendingHeredocs.append(doc) }
        atWordStart = false
    }

    /// At the start of a heredoc body line: when the line is the delimiter, copies it, closes the
    /// heredoc (opening the next queued one) and returns true.
    private mutating func endsHeredoc(_ doc: Heredoc) throws(ExpressionError) -> Bool {
        var line: [Unicode.Scalar] = []
        var firstExpression: Int?
        var k = i
        while k < items.count {
            switch items[k] {
            case .scalar(let c):
                if c == "\n" { break }
                line.append(c)
            case .expression(let n):
                if firstExpression == nil { firstExpression = n }
                if !doc.quoted { return false }
                line.append(contentsOf: values[n].unicodeScalars)
            }
            if case .scalar("\n") = items[k] { break }
            k += 1
        }
        var content = line[...]
        if doc.stripTabs { content = content.drop(while: { $0 == "\t" }) }
        guard content.elementsEqual(doc.delimiter) else { return false }
        if let n = firstExpression {
            throw ExpressionError(
                "this value would end the quoted heredoc early (its line would equal the delimiter)", offset: ranges[n].offset,
                length: ranges[n].length)
        }
        take(k - i)
        if i < items.count { take() }
        stack.removeLast()
        if !pendingHeredocs.isEmpty {
            stack.append(.heredoc(pendingHeredocs.removeFirst()))
            lineStart = true
        } else {
            atWordStart = true
        }
        return true
    }

    // MARK: Substitution

    private mutating func substitute(_ n: Int, in frame: Frame) throws(ExpressionError) {
        let reference = "${" + Self.variableName(n) + "}"
        let inArithmetic = stack.contains { if case .arithmetic = $0 { true } else { false } }
        if inArithmetic, !Self.isInteger(values[n]) {
            throw ExpressionError(
                "a value used in shell arithmetic must be a decimal integer; this one is not (check it in the script instead)",
                offset: ranges[n].offset, length: ranges[n].length)
        }
        let text: String
        switch frame {
        case .top, .command, .backtick(inDouble: false), .parameter(inDouble: false):
            text = "\"" + reference + "\""
        case .backtick(inDouble: true):
            text = "\\\"" + reference + "\\\""
        case .double, .parameter(inDouble: true), .comment, .arithmetic:
            text = reference
        case .single:
            text = "'\"" + reference + "\"'"
        case .ansiC:
            text = "'\"" + reference + "\"$'"
        case .heredoc(let doc):
            if doc.quoted {
                if values[n].unicodeScalars.contains("\n") {
                    throw ExpressionError(
                        "a value with a line break cannot go into a quoted heredoc (<<'EOF') safely; use an unquoted heredoc (<<EOF), where it is read from $\(Self.variableName(n))",
                        offset: ranges[n].offset, length: ranges[n].length)
                }
                text = values[n]
            } else {
                text = reference
            }
        }
        out.append(contentsOf: text.unicodeScalars)
    }

    /// `[+-]?[0-9]+`.
    private static func isInteger(_ s: String) -> Bool {
        var bytes = s.utf8[...]
        if let f = bytes.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        return !bytes.isEmpty && bytes.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    // MARK: Items

    private func scalar(at k: Int) -> Unicode.Scalar? {
        guard k < items.count, case .scalar(let c) = items[k] else { return nil }
        return c
    }

    /// Copies `count` script characters to the output.
    private mutating func take(_ count: Int = 1) {
        for _ in 0..<count {
            if case .scalar(let c) = items[i] { out.append(c) }
            i += 1
        }
    }

    private func delimiterError() -> ExpressionError {
        var n = 0
        if case .expression(let k) = items[i] { n = k }
        return ExpressionError("an expression cannot be part of a heredoc delimiter", offset: ranges[n].offset, length: ranges[n].length)
    }
}
