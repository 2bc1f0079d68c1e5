import FlowCore
import Testing

/// One row of an expression table: the expression, the contexts it reads (as JSON text), the
/// status for the status functions, and the value GitHub documents for it.
struct ExpressionCase: Sendable, CustomTestStringConvertible {
    var expression: String
    var contexts: String
    var status: ExpressionContext.Status
    var expected: ExpressionValue

    var testDescription: String { expression }

    var context: ExpressionContext {
        get throws {
            guard case .object(let values) = try ExpressionValue(parsingJSON: contexts) else {
                throw ExpressionError("contexts must be a JSON object", offset: 0, length: 0)
            }
            return ExpressionContext(values: values, status: status)
        }
    }
}

/// A row: `expression` in `contexts` (a JSON object of context name → value) is `expected`.
func row(
    _ expression: String, _ expected: ExpressionValue, _ contexts: String = "{}",
    status: ExpressionContext.Status = .init(anyFailed: false, cancelled: false)
) -> ExpressionCase {
    ExpressionCase(expression: expression, contexts: contexts, status: status, expected: expected)
}

/// Equality that treats NaN as equal to NaN, for comparing expected values.
func same(_ a: ExpressionValue, _ b: ExpressionValue) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)): return x == y || (x.isNaN && y.isNaN)
    case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(same)
    case (.object(let x), .object(let y)):
        return x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
    default: return a == b
    }
}
