/// An error of a vector store. Messages name the store (file or URL) and collection; they never
/// contain API keys.
public struct VectorStoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The collection (or alias) does not exist.
        case collectionNotFound = "collection-not-found"
        /// A collection of that name exists with another dimension or distance.
        case collectionMismatch = "collection-mismatch"
        /// A vector's length differs from the collection's dimension, or a value is not finite.
        case invalidVector = "invalid-vector"
        /// The database file cannot be opened, read or written.
        case storage
        /// The server answered with an error status or an unreadable body, or cannot be reached.
        case request
    }

    public var code: Code
    public var message: String
    /// Whether trying again later may succeed (a server error, a timeout, a busy database).
    public var isTransient: Bool

    public init(_ code: Code, _ message: String, transient: Bool = false) {
        self.code = code
        self.message = message
        self.isTransient = transient
    }

    public var description: String { message }
}
