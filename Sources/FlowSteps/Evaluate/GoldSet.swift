import Foundation

/// Queries with their relevance judgements: what a retrieval evaluation asks the store and
/// scores it against.
public struct GoldSet: Sendable, Equatable {
    /// One query to run.
    public struct Query: Sendable, Hashable {
        /// The id the qrels use for this query.
        public var id: String
        /// What is searched for.
        public var text: String

        /// A query with its id and text.
        public init(id: String, text: String) {
            self.id = id
            self.text = text
        }
    }

    /// In input order.
    public var queries: [Query]
    /// The judgements, keyed by `Query.id`.
    public var qrels: Qrels

    /// A gold set given in memory.
    public init(queries: [Query], qrels: Qrels) {
        self.queries = queries
        self.qrels = qrels
    }

    /// Parses a JSONL gold set, one query per line:
    /// `{"query_id": "q1", "query": "text", "relevant": {"doc1": 2, "doc2": 1}}` with integer
    /// grades, or `"relevant": ["doc1", "doc2"]` meaning grade 1 each. `query_id` may be a
    /// string or an integer; blank lines are skipped; other keys are ignored.
    ///
    /// - Parameter file: the name used in error messages.
    /// - Throws: `EvaluationError` with `file:line`: `.malformedLine` for a line that is not
    ///   such an object (the message names the missing or mistyped key), `.invalidNumber`
    ///   for a grade that is not an integer, `.duplicateEntry` for a query id seen before.
    public init(jsonlText text: String, file: String = "<gold set>") throws(EvaluationError) {
        var queries: [Query] = []
        var judgements: [String: [String: Int]] = [:]
        var lineOf: [String: Int] = [:]
        var lineNumber = 0
        let decoder = JSONDecoder()
        for rawLine in Self.lines(text) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let record: GoldSetRecord
            do {
                record = try decoder.decode(GoldSetRecord.self, from: Data(line.utf8))
            } catch {
                throw EvaluationError(
                    .malformedLine,
                    "expected {\"query_id\": …, \"query\": \"…\", \"relevant\": {\"doc\": grade, …} "
                        + "or [\"doc\", …]}: \(Self.reason(error))",
                    file: file, line: lineNumber)
            }
            if let first = lineOf[record.queryID] {
                throw EvaluationError(
                    .duplicateEntry,
                    "query '\(record.queryID)' appears twice (first on line \(first))",
                    file: file, line: lineNumber)
            }
            var grades: [String: Int] = [:]
            for (document, grade) in record.relevant {
                guard let integer = Int(exactly: grade) else {
                    throw EvaluationError(
                        .invalidNumber, "grade \(grade) of document '\(document)' is not an integer",
                        file: file, line: lineNumber)
                }
                grades[document] = integer
            }
            lineOf[record.queryID] = lineNumber
            queries.append(Query(id: record.queryID, text: record.query))
            judgements[record.queryID] = grades
        }
        self.init(queries: queries, qrels: Qrels(judgements))
    }

    /// Reads and parses a JSONL gold set (see `init(jsonlText:file:)`).
    ///
    /// - Throws: `EvaluationError` `.unreadableFile`, or a parse error with the path and line.
    public init(contentsOfJSONLFile path: String) throws(EvaluationError) {
        try self.init(jsonlText: Self.read(path), file: path)
    }

    /// Pairs TREC qrels with a queries file of `query_id<TAB>query text` lines (the layout of
    /// MS MARCO's and BEIR's `queries.tsv`); blank lines are skipped.
    ///
    /// - Parameter file: the queries file's name used in error messages.
    /// - Throws: `EvaluationError` with `file:line`: `.malformedLine` for a line without a tab,
    ///   `.duplicateEntry` for a query id seen before.
    public init(qrels: Qrels, queriesTSV text: String, file: String = "<queries>")
        throws(EvaluationError)
    {
        var queries: [Query] = []
        var lineOf: [String: Int] = [:]
        var lineNumber = 0
        for line in Self.lines(text) {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            guard let tab = line.firstIndex(of: "\t") else {
                throw EvaluationError(
                    .malformedLine, "expected 'query_id<TAB>query text'", file: file,
                    line: lineNumber)
            }
            let id = String(line[..<tab])
            if let first = lineOf[id] {
                throw EvaluationError(
                    .duplicateEntry, "query '\(id)' appears twice (first on line \(first))",
                    file: file, line: lineNumber)
            }
            lineOf[id] = lineNumber
            queries.append(Query(id: id, text: String(line[line.index(after: tab)...])))
        }
        self.init(queries: queries, qrels: qrels)
    }

    /// Reads TREC qrels and a `query_id<TAB>query text` queries file
    /// (see `init(qrels:queriesTSV:file:)`).
    ///
    /// - Throws: `EvaluationError` `.unreadableFile`, or a parse error with the path and line.
    public init(qrelsPath: String, queriesPath: String) throws(EvaluationError) {
        try self.init(
            qrels: Qrels(contentsOfTRECFile: qrelsPath), queriesTSV: Self.read(queriesPath),
            file: queriesPath)
    }

    /// Lines split at `\n` or `\r\n` (one `Character` in Swift, so splitting at "\n" alone
    /// would miss it).
    private static func lines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    }

    private static func read(_ path: String) throws(EvaluationError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvaluationError(.unreadableFile, "cannot read file", file: path)
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _):
            "missing key '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty:
            "invalid value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        default:
            "not valid JSON"
        }
    }
}

/// One JSONL gold-set line.
private struct GoldSetRecord: Decodable {
    var queryID: String
    var query: String
    /// Decoded as numbers; `GoldSet` checks they are integers, to say so with the line.
    var relevant: [String: Double]

    enum CodingKeys: String, CodingKey {
        case queryID = "query_id"
        case query
        case relevant
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let number = try? container.decode(Int.self, forKey: .queryID) {
            queryID = String(number)
        } else {
            queryID = try container.decode(String.self, forKey: .queryID)
        }
        query = try container.decode(String.self, forKey: .query)
        if let list = try? container.decode([String].self, forKey: .relevant) {
            relevant = Dictionary(list.map { ($0, 1) }, uniquingKeysWith: { first, _ in first })
        } else {
            relevant = try container.decode([String: Double].self, forKey: .relevant)
        }
    }
}
