/// One problem found in a workflow: severity, a stable code, a message, where, and an optional
/// hint. Rendered compiler-style by `DiagnosticRenderer`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How bad the problem is. Errors stop a run; warnings do not.
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error
        case warning
        case note

        private var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .note: 2
            }
        }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// A stable, documented identifier such as `unknown-key` or `cycle` (see
    /// docs/workflow-language.md, "Diagnostics"). Tools may match on it; nobody parses messages.
    public struct Code: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral,
        CustomStringConvertible
    {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }
    }

    public var severity: Severity
    public var code: Code
    public var message: String
    public var location: SourceLocation?
    /// Printed after the source excerpt as `note: <hint>` (for example "did you mean 'embed'?").
    public var hint: String?
    /// Width of the caret underline in columns; 1 when only a point is known.
    public var length: Int

    public init(
        _ severity: Severity = .error, code: Code, message: String, at location: SourceLocation?,
        hint: String? = nil, length: Int = 1
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.hint = hint
        self.length = max(1, length)
    }

    /// `file:line:column: error: message` without the source excerpt.
    public var description: String {
        let prefix = location.map { "\($0): " } ?? ""
        return "\(prefix)\(severity.rawValue): \(message)"
    }
}

/// Thrown when a workflow has one or more error diagnostics; carries all of them, sorted by
/// location, so every problem is reported in one pass.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
