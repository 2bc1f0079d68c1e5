/// A system's retrieval results: for each query, scored documents.
///
/// Order in `rankings` does not matter: evaluation ranks documents the way trec_eval does, by
/// score descending with ties broken by document id descending (byte order), and ignores any
/// rank the producer assigned. A producer with ranks but no scores can use `-rank` as the score.
public struct RetrievalRun: Sendable, Equatable {
    /// One retrieved document.
    public struct Entry: Sendable, Hashable {
        /// The document's id as in the qrels.
        public var documentID: String
        /// Higher is better.
        public var score: Double

        /// A document retrieved with `score`.
        public init(documentID: String, score: Double) {
            self.documentID = documentID
            self.score = score
        }
    }

    /// query id → retrieved documents. A query with an empty list is evaluated (all measures
    /// 0, as pytrec_eval does); a query that is absent is not (see
    /// `RetrievalEvaluation.Averaging`). A document should appear at most once per query: the
    /// TREC parser rejects duplicates (as trec_eval does); one given twice in memory is ranked
    /// twice.
    public var rankings: [String: [Entry]]
    /// The run tag (the last line's sixth field in a TREC run file), if known.
    public var tag: String?

    /// A run given in memory, such as a store's search results.
    public init(rankings: [String: [Entry]] = [:], tag: String? = nil) {
        self.rankings = rankings
        self.tag = tag
    }

    /// Parses a TREC run: one retrieved document per line,
    /// `query_id Q0 doc_id rank score run_tag`, whitespace separated. As in trec_eval the `Q0`
    /// and `rank` fields are ignored, fields after the tag are ignored, blank lines and lines
    /// starting with `#` are skipped, and the tag kept is the last line's. Empty text is a run
    /// with no queries.
    ///
    /// - Parameter file: the name used in error messages.
    /// - Throws: `EvaluationError` with `file:line`: `.malformedLine` for fewer than six
    ///   fields, `.invalidNumber` for a score that is not a number (or is NaN),
    ///   `.duplicateEntry` for a document listed twice for a query (trec_eval rejects those).
    public init(trecText text: String, file: String = "<run>") throws(EvaluationError) {
        try self.init(reader: TRECLineReader(bytes: Array(text.utf8), file: file))
    }

    /// Reads and parses a TREC run file (see `init(trecText:file:)`).
    ///
    /// - Throws: `EvaluationError` `.unreadableFile`, or a parse error with the path and line.
    public init(contentsOfTRECFile path: String) throws(EvaluationError) {
        try self.init(reader: TRECLineReader(contentsOfFile: path))
    }

    private init(reader: TRECLineReader) throws(EvaluationError) {
        var rankings: [String: [Entry]] = [:]
        // Lines of each query's documents, for duplicate errors. Run files list a query's
        // documents together, so the current query's state is kept apart and put back only
        // when another query starts: one dictionary lookup per query, not per line.
        var lineOf: [String: [String: Int]] = [:]
        var query = ""
        var queryBytes: Range<Int> = 0..<0
        var entries: [Entry] = []
        var lines: [String: Int] = [:]
        var tag: String?
        var tagBytes: Range<Int> = 0..<0
        func finishQuery() {
            guard !queryBytes.isEmpty else { return }
            rankings[query] = entries
            lineOf[query] = lines
        }
        try reader.forEachLine { (line, fields) throws(EvaluationError) in
            guard fields.count >= 6 else {
                throw EvaluationError(
                    .malformedLine,
                    "expected 6 fields 'query_id Q0 doc_id rank score run_tag', found \(fields.count)",
                    file: reader.file, line: line)
            }
            if !reader.bytesEqual(fields[0], queryBytes) {
                finishQuery()
                query = reader.string(fields[0])
                queryBytes = fields[0]
                entries = rankings.removeValue(forKey: query) ?? []
                lines = lineOf.removeValue(forKey: query) ?? [:]
            }
            let document = reader.string(fields[2])
            guard let score = reader.double(fields[4]), !score.isNaN else {
                throw EvaluationError(
                    .invalidNumber, "score '\(reader.string(fields[4]))' is not a number",
                    file: reader.file, line: line)
            }
            if let first = lines.updateValue(line, forKey: document) {
                throw EvaluationError(
                    .duplicateEntry,
                    "document '\(document)' is listed twice for query '\(query)' (first on line \(first))",
                    file: reader.file, line: line)
            }
            entries.append(Entry(documentID: document, score: score))
            if tag == nil || !reader.bytesEqual(fields[5], tagBytes) {
                tag = reader.string(fields[5])
                tagBytes = fields[5]
            }
        }
        finishQuery()
        self.rankings = rankings
        self.tag = tag
    }
}
