/// Relevance judgements: for each query, the graded relevance of the judged documents.
///
/// Grades are integers as in TREC qrels: `>= 1` is relevant for the binary measures (trec_eval's
/// default relevance level), the grade itself is the nDCG gain, `0` is judged not relevant, and a
/// negative grade is "in the pool but not judged" (trec_eval's convention): neither relevant nor
/// counted among the judged documents.
public struct Qrels: Sendable, Equatable {
    /// query id → document id → grade.
    public var judgements: [String: [String: Int]]

    /// Judgements given in memory (query id → document id → grade).
    public init(_ judgements: [String: [String: Int]] = [:]) {
        self.judgements = judgements
    }

    /// The number of queries with at least one judgement.
    public var queryCount: Int { judgements.count }

    /// Parses TREC qrels text: one judgement per line, `query_id iteration doc_id relevance`
    /// (the iteration field, usually `0`, is ignored), fields separated by whitespace. Blank
    /// lines and lines starting with `#` are skipped.
    ///
    /// - Parameter file: the name used in error messages.
    /// - Throws: `EvaluationError` with `file:line`: `.malformedLine` for a line without exactly
    ///   four fields, `.invalidNumber` for a relevance that is not an integer, `.duplicateEntry`
    ///   for a document judged twice for the same query (trec_eval rejects those too).
    public init(trecText text: String, file: String = "<qrels>") throws(EvaluationError) {
        try self.init(reader: TRECLineReader(bytes: Array(text.utf8), file: file))
    }

    /// Reads and parses a TREC qrels file (see `init(trecText:file:)`).
    ///
    /// - Throws: `EvaluationError` `.unreadableFile`, or a parse error with the path and line.
    public init(contentsOfTRECFile path: String) throws(EvaluationError) {
        try self.init(reader: TRECLineReader(contentsOfFile: path))
    }

    private init(reader: TRECLineReader) throws(EvaluationError) {
        var judgements: [String: [String: Int]] = [:]
        var lineOf: [String: [String: Int]] = [:]
        try reader.forEachLine { (line, fields) throws(EvaluationError) in
            guard fields.count == 4 else {
                throw EvaluationError(
                    .malformedLine,
                    "expected 4 fields 'query_id iteration doc_id relevance', found \(fields.count)",
                    file: reader.file, line: line)
            }
            let query = reader.string(fields[0])
            let document = reader.string(fields[2])
            let gradeText = reader.string(fields[3])
            guard let grade = Int(gradeText) else {
                throw EvaluationError(
                    .invalidNumber, "relevance '\(gradeText)' is not an integer",
                    file: reader.file, line: line)
            }
            if let first = lineOf[query]?[document] {
                throw EvaluationError(
                    .duplicateEntry,
                    "document '\(document)' is judged twice for query '\(query)' (first on line \(first))",
                    file: reader.file, line: line)
            }
            lineOf[query, default: [:]][document] = line
            judgements[query, default: [:]][document] = grade
        }
        self.judgements = judgements
    }
}
