import Foundation

extension GoldSet {
    /// Pairs SMART-format queries with judgements in the Cranfield layout (the collection's
    /// `cran.qry` and `cranqrel`; see ../shared/data/cranfield/README.md).
    ///
    /// - Queries: SMART records (`SMARTRecord`), the text in `.W`. A query's id is its 1-based
    ///   position in the file, because the judgements refer to positions, not to the `.I`
    ///   numbers (Cranfield's are not consecutive: 001, 002, 004, …).
    /// - Judgements: one per line, `<query position> <document id> <code>`, whitespace
    ///   separated. Codes 1 (most relevant) … 4 (least) become TREC grades `5 − code` (4 … 1)
    ///   and `-1` (not relevant) becomes grade 0 — the project's convention for Cranfield, so
    ///   that nDCG's gain is the grade and grade ≥ 1 is relevant.
    ///
    /// - Parameters:
    ///   - queriesFile, judgementsFile: the names used in error messages.
    /// - Throws: `EvaluationError` with `file:line`: `.malformedLine` for a judgement without
    ///   exactly three fields or a query without a `.W` text, `.invalidNumber` for a code other
    ///   than 1…4 or -1, `.duplicateEntry` for a document judged twice for a query; the
    ///   queries' SMART errors.
    public init(
        smartQueries queriesText: String, judgements judgementsText: String, queriesFile: String = "<queries>",
        judgementsFile: String = "<judgements>"
    ) throws(EvaluationError) {
        let records = try SMARTRecord.parse(queriesText, file: queriesFile)
        var queries: [Query] = []
        for (position, record) in records.enumerated() {
            guard let text = record.fields["W"], !text.isEmpty else {
                throw EvaluationError(.malformedLine, "query '\(record.id)' has no '.W' text", file: queriesFile, line: record.line)
            }
            queries.append(Query(id: String(position + 1), text: text))
        }
        var judgements: [String: [String: Int]] = [:]
        var lineOf: [String: [String: Int]] = [:]
        var lineNumber = 0
        for line in judgementsText.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let fields = line.split(whereSeparator: \.isWhitespace)
            if fields.isEmpty { continue }
            guard fields.count == 3 else {
                throw EvaluationError(
                    .malformedLine, "expected 3 fields '<query position> <document id> <code>', found \(fields.count)",
                    file: judgementsFile, line: lineNumber)
            }
            let query = String(fields[0])
            let document = String(fields[1])
            guard let code = Int(fields[2]), code == -1 || (1...4).contains(code) else {
                throw EvaluationError(
                    .invalidNumber, "relevance code '\(fields[2])' is not 1, 2, 3, 4 or -1", file: judgementsFile, line: lineNumber)
            }
            if let first = lineOf[query]?[document] {
                throw EvaluationError(
                    .duplicateEntry, "document '\(document)' is judged twice for query \(query) (first on line \(first))",
                    file: judgementsFile, line: lineNumber)
            }
            lineOf[query, default: [:]][document] = lineNumber
            judgements[query, default: [:]][document] = code == -1 ? 0 : 5 - code
        }
        self.init(queries: queries, qrels: Qrels(judgements))
    }

    /// Reads SMART queries and Cranfield-layout judgements
    /// (see `init(smartQueries:judgements:queriesFile:judgementsFile:)`).
    ///
    /// - Throws: `EvaluationError` `.unreadableFile`, or a parse error with the path and line.
    public init(smartQueriesPath: String, judgementsPath: String) throws(EvaluationError) {
        try self.init(
            smartQueries: Self.readText(smartQueriesPath), judgements: Self.readText(judgementsPath),
            queriesFile: smartQueriesPath, judgementsFile: judgementsPath)
    }

    static func readText(_ path: String) throws(EvaluationError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvaluationError(.unreadableFile, "cannot read file", file: path)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
