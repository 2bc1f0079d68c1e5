/// A problem with an evaluation input: a qrels, run, gold-set or queries file that cannot be
/// read or parsed, an unknown metric name, or generation inputs of different lengths.
///
/// `description` reads compiler style, `file:line: error: message` (line 1-based), so editors
/// and CI can jump to the offending line. Match on `code`, never on `message`.
public struct EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong; stable names for tools and tests.
    public enum Code: String, Sendable, Hashable {
        /// The file could not be read.
        case unreadableFile = "unreadable-file"
        /// A line has the wrong number of fields or is not valid JSON of the expected shape.
        case malformedLine = "malformed-line"
        /// A field that must be a number (relevance grade, score) is not one.
        case invalidNumber = "invalid-number"
        /// The same query and document (or the same query id) appear twice.
        case duplicateEntry = "duplicate-entry"
        /// A metric name that `RetrievalMetric(parsing:)` does not know.
        case unknownMetric = "unknown-metric"
        /// Hypotheses and references (or targets and predictions) differ in count.
        case lengthMismatch = "length-mismatch"
    }

    /// What went wrong.
    public var code: Code
    /// One sentence for a person, without the location.
    public var message: String
    /// The input's path as given by the caller, when the problem is in a file.
    public var file: String?
    /// 1-based line of the problem, when known.
    public var line: Int?

    /// An error with `code` and `message`, at `file:line` when given.
    public init(_ code: Code, _ message: String, file: String? = nil, line: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    /// `file:line: error: message`, or `error: message` when no location is known.
    public var description: String {
        var prefix = ""
        if let file {
            prefix = line.map { "\(file):\($0): " } ?? "\(file): "
        }
        return "\(prefix)error: \(message)"
    }
}
