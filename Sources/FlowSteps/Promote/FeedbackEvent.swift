import FlowCore
import Foundation

/// One served query as the application logged it: which variant answered, what was shown, what
/// the user clicked and how they rated it. Read by `promote` (online A/B gate) and
/// `feedback-export`.
///
/// JSONL, one object per line: `{"time": "2026-11-29T10:00:00Z", "variant": "B", "query": "…",
/// "shown": ["chunk-1", {"id": "chunk-2", "text": "…"}], "clicked": ["chunk-2"] or true,
/// "rating": 4}`. CSV with a header row naming the columns `time, variant, query, clicked,
/// rating` (any order, other columns ignored; `clicked` as `1/0/true/false/yes/no`; RFC 4180
/// quoting). Only `query` is required (and `variant` by the A/B gate); `clicked` absent means
/// no click.
public struct FeedbackEvent: Sendable, Hashable {
    /// A passage shown for the query: its id and, when the log carries it, its text.
    public struct Passage: Sendable, Hashable {
        public var id: String
        public var text: String?

        public init(id: String, text: String? = nil) {
            self.id = id
            self.text = text
        }
    }

    public var time: String?
    public var variant: String?
    public var query: String
    /// In the order shown.
    public var shown: [Passage]
    /// Ids of the passages clicked (a JSONL list), empty when none or only `clicked: true`.
    public var clickedIDs: [String]
    /// Whether the user clicked anything.
    public var clicked: Bool
    public var rating: Double?
    /// 1-based line (JSONL) or row (CSV, the header is row 1) it came from.
    public var line: Int

    public init(
        time: String? = nil, variant: String? = nil, query: String, shown: [Passage] = [], clickedIDs: [String] = [],
        clicked: Bool, rating: Double? = nil, line: Int = 0
    ) {
        self.time = time
        self.variant = variant
        self.query = query
        self.shown = shown
        self.clickedIDs = clickedIDs
        self.clicked = clicked
        self.rating = rating
        self.line = line
    }

    /// Reads a feedback log: CSV when the path ends in `.csv`, else JSONL.
    /// - Throws: `EvaluationError` with the file and line of the first malformed record;
    ///   `.unreadableFile`.
    public static func read(_ path: String) throws(EvaluationError) -> [FeedbackEvent] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvaluationError(.unreadableFile, "cannot read file", file: path)
        }
        let text = String(decoding: data, as: UTF8.self)
        return path.lowercased().hasSuffix(".csv") ? try parseCSV(text, file: path) : try parseJSONL(text, file: path)
    }

    /// Parses JSONL events (see the type's documentation); blank lines are skipped.
    /// - Throws: `EvaluationError` `.malformedLine` naming the line and the field.
    public static func parseJSONL(_ text: String, file: String = "<feedback>") throws(EvaluationError) -> [FeedbackEvent] {
        var events: [FeedbackEvent] = []
        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            func bad(_ reason: String) -> EvaluationError { EvaluationError(.malformedLine, reason, file: file, line: lineNumber) }
            guard let object = (try? ExpressionValue(parsingJSON: String(line)))?.objectValue else {
                throw bad("expected a JSON object {\"variant\", \"query\", \"shown\", \"clicked\", \"rating\", \"time\"}")
            }
            guard let query = object["query"]?.stringValue else { throw bad("missing string 'query'") }
            var shown: [Passage] = []
            switch object["shown"] {
            case nil, .null?: break
            case .array(let items)?:
                for item in items {
                    if let id = identifier(item) {
                        shown.append(Passage(id: id))
                    } else if let o = item.objectValue, let id = o["id"].flatMap(identifier) {
                        shown.append(Passage(id: id, text: o["text"]?.stringValue))
                    } else {
                        throw bad("'shown' must list passage ids or {\"id\", \"text\"} objects")
                    }
                }
            default: throw bad("'shown' must be a list")
            }
            var clickedIDs: [String] = []
            let clicked: Bool
            switch object["clicked"] {
            case nil, .null?: clicked = false
            case .bool(let b)?: clicked = b
            case .number(let n)?:
                guard n == 0 || n == 1 else { throw bad("'clicked' must be true, false, 0, 1 or a list of passage ids") }
                clicked = n == 1
            case .array(let items)?:
                for item in items {
                    guard let id = identifier(item) else { throw bad("'clicked' must list passage ids") }
                    clickedIDs.append(id)
                }
                clicked = !clickedIDs.isEmpty
            default: throw bad("'clicked' must be true, false, 0, 1 or a list of passage ids")
            }
            var rating: Double?
            switch object["rating"] {
            case nil, .null?: break
            case .number(let n)? where n.isFinite: rating = n
            default: throw bad("'rating' must be a number")
            }
            events.append(
                FeedbackEvent(
                    time: object["time"]?.stringValue, variant: object["variant"].flatMap(identifier), query: query, shown: shown,
                    clickedIDs: clickedIDs, clicked: clicked, rating: rating, line: lineNumber))
        }
        return events
    }

    /// Parses CSV events with a header row (see the type's documentation).
    /// - Throws: `EvaluationError` `.malformedLine` for a missing `query` column, a row with
    ///   fewer fields than the header, or a `clicked` or `rating` value that cannot be read.
    public static func parseCSV(_ text: String, file: String = "<feedback>") throws(EvaluationError) -> [FeedbackEvent] {
        let rows = CSVRows.parse(text)
        guard let header = rows.first else { return [] }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ name: String) -> Int? { names.firstIndex(of: name) }
        guard let queryColumn = column("query") else {
            throw EvaluationError(.malformedLine, "the header has no 'query' column", file: file, line: header.line)
        }
        var events: [FeedbackEvent] = []
        for row in rows.dropFirst() {
            if row.fields.allSatisfy({ $0.isEmpty }) { continue }
            guard row.fields.count >= names.count else {
                throw EvaluationError(
                    .malformedLine, "expected \(names.count) fields, found \(row.fields.count)", file: file, line: row.line)
            }
            func value(_ name: String) -> String? {
                column(name).map { row.fields[$0].trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            var clicked = false
            if let text = value("clicked") {
                switch text.lowercased() {
                case "1", "true", "yes": clicked = true
                case "0", "false", "no": clicked = false
                default:
                    throw EvaluationError(
                        .malformedLine, "'clicked' must be 1/0/true/false/yes/no, got '\(text)'", file: file, line: row.line)
                }
            }
            var rating: Double?
            if let text = value("rating") {
                guard let number = Double(text), number.isFinite else {
                    throw EvaluationError(.malformedLine, "'rating' must be a number, got '\(text)'", file: file, line: row.line)
                }
                rating = number
            }
            events.append(
                FeedbackEvent(
                    time: value("time"), variant: value("variant"), query: row.fields[queryColumn], clicked: clicked, rating: rating,
                    line: row.line))
        }
        return events
    }

    private static func identifier(_ value: ExpressionValue) -> String? {
        switch value {
        case .string(let s) where !s.isEmpty: s
        case .number: value.renderedString
        default: nil
        }
    }
}
