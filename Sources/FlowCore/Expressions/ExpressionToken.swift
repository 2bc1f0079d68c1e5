/// One token of an expression: its kind and where it is (0-based Unicode-scalar offset, length).
struct ExpressionToken: Sendable {
    enum Kind: Sendable {
        case leftParen, rightParen, leftBracket, rightBracket, comma, dot, star
        case bang, bangEqual, equalEqual, less, lessEqual, greater, greaterEqual, and, or
        case number(Double)
        case string(String)
        case identifier(String)
        case trueLiteral, falseLiteral, nullLiteral
        case end
    }

    var kind: Kind
    var offset: Int
    var length: Int

    var end: Int { offset + length }
}
