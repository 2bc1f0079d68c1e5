/// Builds an `ExpressionNode` tree from tokens by GitHub's grammar and precedence (actions/runner
/// `ExpressionParser`, actions/languageservices `parser.ts`), loosest first:
///
///     ||   &&   == !=   < <= > >=   !   index [ ], property ., call ( ), grouping ( )
///
/// Binary operators of one level associate to the left (`3 < 2 < 1` is `(3 < 2) < 1`). Indexing
/// applies to names, calls and groups only. Function names are checked (ignoring case) with their
/// argument counts; context names are not (see `Expression.references`). Nesting is limited to
/// GitHub's 50 levels so evaluation cannot exhaust the stack.
struct ExpressionParser {
    /// GitHub's nesting limit (actions/runner `ExpressionConstants.MaxDepth`).
    static let maxDepth = 50

    private let source: String
    private let tokens: [ExpressionToken]
    private var index = 0
    private var depth = 0
    /// Whether a status check function was called anywhere.
    private(set) var callsStatusFunction = false

    init(source: String, tokens: [ExpressionToken]) {
        self.source = source
        self.tokens = tokens
    }

    /// The whole token list as one expression.
    ///
    /// - Throws: `ExpressionError` for an empty expression, an unexpected token (pointing at it),
    ///   an unexpected end, an unknown function (with a "did you mean"), a wrong argument count,
    ///   or nesting deeper than `maxDepth`.
    mutating func parse() throws(ExpressionError) -> ExpressionNode {
        if case .end = peek.kind {
            throw ExpressionError("expected an expression", offset: 0, length: peek.offset)
        }
        let node = try expression()
        if case .end = peek.kind { return node }
        throw unexpected(peek)
    }

    // MARK: Precedence levels

    private mutating func expression() throws(ExpressionError) -> ExpressionNode {
        try enter()
        defer { depth -= 1 }
        return try logicalOr()
    }

    private mutating func logicalOr() throws(ExpressionError) -> ExpressionNode {
        let first = try logicalAnd()
        guard case .or = peek.kind else { return first }
        var items = [first]
        while case .or = peek.kind {
            index += 1
            items.append(try logicalAnd())
        }
        return ExpressionNode(kind: .or(items), offset: first.offset, length: items.last!.end - first.offset)
    }

    private mutating func logicalAnd() throws(ExpressionError) -> ExpressionNode {
        let first = try equality()
        guard case .and = peek.kind else { return first }
        var items = [first]
        while case .and = peek.kind {
            index += 1
            items.append(try equality())
        }
        return ExpressionNode(kind: .and(items), offset: first.offset, length: items.last!.end - first.offset)
    }

    private mutating func equality() throws(ExpressionError) -> ExpressionNode {
        var left = try comparison()
        while true {
            let op: ExpressionNode.ComparisonOperator
            switch peek.kind {
            case .equalEqual: op = .equal
            case .bangEqual: op = .notEqual
            default: return left
            }
            index += 1
            let right = try comparison()
            left = ExpressionNode(kind: .compare(op, left, right), offset: left.offset, length: right.end - left.offset)
        }
    }

    private mutating func comparison() throws(ExpressionError) -> ExpressionNode {
        var left = try unary()
        while true {
            let op: ExpressionNode.ComparisonOperator
            switch peek.kind {
            case .less: op = .less
            case .lessEqual: op = .lessOrEqual
            case .greater: op = .greater
            case .greaterEqual: op = .greaterOrEqual
            default: return left
            }
            index += 1
            let right = try unary()
            left = ExpressionNode(kind: .compare(op, left, right), offset: left.offset, length: right.end - left.offset)
        }
    }

    private mutating func unary() throws(ExpressionError) -> ExpressionNode {
        guard case .bang = peek.kind else { return try postfix() }
        let bang = next()
        try enter()
        defer { depth -= 1 }
        let operand = try unary()
        return ExpressionNode(kind: .not(operand), offset: bang.offset, length: operand.end - bang.offset)
    }

    private mutating func postfix() throws(ExpressionError) -> ExpressionNode {
        var node = try primary()
        switch node.kind {
        case .context, .call, .group: break
        default: return node
        }
        let outerDepth = depth
        defer { depth = outerDepth }
        while true {
            switch peek.kind {
            case .leftBracket:
                index += 1
                try enter()
                if case .star = peek.kind {
                    index += 1
                    let close = try expect(.rightBracket)
                    node = ExpressionNode(kind: .filter(node), offset: node.offset, length: close.end - node.offset)
                } else {
                    let key = try expression()
                    let close = try expect(.rightBracket)
                    node = ExpressionNode(kind: .index(node, key: key), offset: node.offset, length: close.end - node.offset)
                }
            case .dot:
                index += 1
                try enter()
                let token = next()
                switch token.kind {
                case .identifier(let name):
                    let key = ExpressionNode(kind: .literal(.string(name)), offset: token.offset, length: token.length)
                    node = ExpressionNode(kind: .index(node, key: key), offset: node.offset, length: token.end - node.offset)
                case .star:
                    node = ExpressionNode(kind: .filter(node), offset: node.offset, length: token.end - node.offset)
                default:
                    throw unexpected(token, expected: "a property name or '*' after '.'")
                }
            default:
                return node
            }
        }
    }

    private mutating func primary() throws(ExpressionError) -> ExpressionNode {
        let token = next()
        switch token.kind {
        case .trueLiteral: return literal(.bool(true), token)
        case .falseLiteral: return literal(.bool(false), token)
        case .nullLiteral: return literal(.null, token)
        case .number(let n): return literal(.number(n), token)
        case .string(let s): return literal(.string(s), token)
        case .leftParen:
            let inner = try expression()
            let close = try expect(.rightParen)
            return ExpressionNode(kind: .group(inner), offset: token.offset, length: close.end - token.offset)
        case .identifier(let name):
            guard case .leftParen = peek.kind else {
                return ExpressionNode(kind: .context(name), offset: token.offset, length: token.length)
            }
            return try call(name, token)
        default:
            throw unexpected(token)
        }
    }

    private mutating func call(_ name: String, _ nameToken: ExpressionToken) throws(ExpressionError) -> ExpressionNode {
        guard let function = ExpressionFunction(name: name) else {
            var message = "unknown function '\(name)'"
            if let suggestion = Suggestion.closest(to: name, in: ExpressionFunction.allCases.map(\.rawValue)) {
                message += "; did you mean '\(suggestion)'?"
            }
            throw ExpressionError(message, offset: nameToken.offset, length: nameToken.length)
        }
        index += 1  // (
        var arguments: [ExpressionNode] = []
        let close: ExpressionToken
        if case .rightParen = peek.kind {
            close = next()
        } else {
            while true {
                arguments.append(try expression())
                let token = next()
                if case .comma = token.kind { continue }
                if case .rightParen = token.kind {
                    close = token
                    break
                }
                throw unexpected(token, expected: "',' or ')'")
            }
        }
        let node = ExpressionNode(kind: .call(function, arguments), offset: nameToken.offset, length: close.end - nameToken.offset)
        let arity = function.arity
        if !arity.contains(arguments.count) {
            let expected: String
            if arity.lowerBound == arity.upperBound {
                expected = "\(arity.lowerBound) argument\(arity.lowerBound == 1 ? "" : "s")"
            } else if arity.upperBound - arity.lowerBound == 1 {
                expected = "\(arity.lowerBound) or \(arity.upperBound) arguments"
            } else {
                expected = "\(arity.lowerBound) to \(arity.upperBound) arguments"
            }
            throw ExpressionError(
                "\(function.rawValue)() takes \(expected), not \(arguments.count)", offset: node.offset, length: node.length)
        }
        if function.isStatusCheck { callsStatusFunction = true }
        return node
    }

    // MARK: Tokens

    private var peek: ExpressionToken { tokens[index] }

    private mutating func next() -> ExpressionToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private mutating func expect(_ kind: ExpressionToken.Kind) throws(ExpressionError) -> ExpressionToken {
        let token = next()
        switch (kind, token.kind) {
        case (.rightParen, .rightParen), (.rightBracket, .rightBracket):
            return token
        default:
            let wanted = if case .rightParen = kind { "')'" } else { "']'" }
            if case .end = token.kind {
                throw ExpressionError("unexpected end of expression; expected \(wanted)", offset: token.offset, length: 0)
            }
            throw ExpressionError("unexpected '\(text(of: token))'; expected \(wanted)", offset: token.offset, length: token.length)
        }
    }

    private func literal(_ value: ExpressionValue, _ token: ExpressionToken) -> ExpressionNode {
        ExpressionNode(kind: .literal(value), offset: token.offset, length: token.length)
    }

    private mutating func enter() throws(ExpressionError) {
        depth += 1
        if depth > Self.maxDepth {
            throw ExpressionError("expression nests more than \(Self.maxDepth) levels", offset: peek.offset, length: peek.length)
        }
    }

    /// The source text of `token` (for error messages only).
    private func text(of token: ExpressionToken) -> String {
        let view = source.unicodeScalars
        let start = view.index(view.startIndex, offsetBy: token.offset)
        return String(view[start..<view.index(start, offsetBy: token.length)])
    }

    private func unexpected(_ token: ExpressionToken, expected: String? = nil) -> ExpressionError {
        let suffix = expected.map { "; expected \($0)" } ?? ""
        if case .end = token.kind {
            return ExpressionError("unexpected end of expression\(suffix)", offset: token.offset, length: 0)
        }
        return ExpressionError("unexpected '\(text(of: token))'\(suffix)", offset: token.offset, length: token.length)
    }
}
