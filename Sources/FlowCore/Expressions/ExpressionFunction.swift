/// The functions an expression may call: GitHub's status check functions and the general
/// functions of docs.github.com/actions/reference/workflows-and-actions/expressions, "Functions".
/// Names are matched ignoring case, as GitHub does.
enum ExpressionFunction: String, Sendable, CaseIterable {
    case success, failure, always, cancelled
    case contains, startsWith, endsWith, format, join, toJSON, fromJSON

    /// The function called `name` ignoring case, if any.
    init?(name: String) {
        guard let match = Self.allCases.first(where: { OrdinalIgnoreCase.equals($0.rawValue, name) }) else { return nil }
        self = match
    }

    /// Least and most arguments (actions/runner `ExpressionConstants`: `format` takes the format
    /// string and up to 254 values).
    var arity: ClosedRange<Int> {
        switch self {
        case .success, .failure, .always, .cancelled: 0...0
        case .contains, .startsWith, .endsWith: 2...2
        case .format: 1...255
        case .join: 1...2
        case .toJSON, .fromJSON: 1...1
        }
    }

    /// Whether this is one of the status check functions whose presence turns off the implicit
    /// `success() &&` of an `if:` condition.
    var isStatusCheck: Bool {
        switch self {
        case .success, .failure, .always, .cancelled: true
        default: false
        }
    }
}
