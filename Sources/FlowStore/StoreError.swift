/// An error of the run database: it cannot be opened, migrated, read or written.
/// Messages name the database file; they never contain secrets.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case cannotOpen = "cannot-open"
        case migrationFailed = "migration-failed"
        case writeFailed = "write-failed"
        case readFailed = "read-failed"
        case notFound = "not-found"
        case conflict
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
