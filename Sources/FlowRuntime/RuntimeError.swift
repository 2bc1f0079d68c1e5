public import FlowCore
public import FlowStore

/// Why a run could not be started or a record not found. One renderer per surface maps the
/// code to an exit status (CLI) or an HTTP status (server); nobody parses `message`.
public struct RuntimeError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case workflowNotFound = "workflow-not-found"
        case invalidWorkflow = "invalid-workflow"
        case invalidParams = "invalid-params"
        case missingSecret = "missing-secret"
        case runNotFound = "run-not-found"
        case notRetryable = "not-retryable"
        case database
        case io
    }

    public var code: Code
    public var message: String
    /// For `.invalidWorkflow`: every diagnostic, and the sources to render excerpts.
    public var diagnostics: [Diagnostic]
    public var sources: [String: String]

    public init(_ code: Code, _ message: String, diagnostics: [Diagnostic] = [], sources: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.diagnostics = diagnostics
        self.sources = sources
    }

    public init(_ error: StoreError) {
        self.init(.database, error.message)
    }

    public var description: String { message }
}
