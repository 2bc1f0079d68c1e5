/// One record of a SMART-format file, the layout of the classic test collections (Cranfield,
/// CACM, CISI, MED): a line `.I <id>` starts a record, and each field starts with a line holding
/// a period and one capital letter (`.T` title, `.A` authors, `.B` source, `.W` text), its text
/// on the lines that follow, up to the next field or record.
public struct SMARTRecord: Sendable, Hashable {
    /// The value after `.I`, as written (Cranfield's queries keep leading zeros: `001`).
    public var id: String
    /// Field letter → text: the field's lines joined with `\n`, with leading and trailing
    /// white space removed. A field given twice keeps both texts, joined with `\n`.
    public var fields: [Character: String]
    /// 1-based line of the record's `.I`.
    public var line: Int

    /// A record with its id, fields and line.
    public init(id: String, fields: [Character: String], line: Int) {
        self.id = id
        self.fields = fields
        self.line = line
    }

    /// Parses SMART text into records, in file order. A field marker may carry text after it on
    /// its own line (it becomes the field's first line); `\r\n` line ends are accepted.
    ///
    /// - Parameter file: the name used in error messages.
    /// - Throws: `EvaluationError` with `file:line`: `.malformedLine` for text before the first
    ///   `.I`, or a `.I` without an id; `.duplicateEntry` for an id seen before.
    public static func parse(_ text: String, file: String = "<smart>") throws(EvaluationError) -> [SMARTRecord] {
        var records: [SMARTRecord] = []
        var lineOf: [String: Int] = [:]
        var current: SMARTRecord?
        var field: Character?
        var fieldLines: [Substring] = []
        func closeField() {
            guard let letter = field, current != nil else { return }
            let body = trimmed(fieldLines.joined(separator: "\n"))
            if let existing = current!.fields[letter] {
                current!.fields[letter] = existing.isEmpty ? body : body.isEmpty ? existing : existing + "\n" + body
            } else {
                current!.fields[letter] = body
            }
            field = nil
            fieldLines = []
        }
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            if let (letter, rest) = marker(rawLine) {
                closeField()
                if letter == "I" {
                    if let done = current { records.append(done) }
                    let id = trimmed(rest)
                    guard !id.isEmpty, !id.contains(where: \.isWhitespace) else {
                        throw EvaluationError(.malformedLine, "expected '.I <id>'", file: file, line: lineNumber)
                    }
                    if let first = lineOf[id] {
                        throw EvaluationError(
                            .duplicateEntry, "record '\(id)' appears twice (first on line \(first))", file: file, line: lineNumber)
                    }
                    lineOf[id] = lineNumber
                    current = SMARTRecord(id: id, fields: [:], line: lineNumber)
                } else {
                    guard current != nil else {
                        throw EvaluationError(
                            .malformedLine, "field '.\(letter)' before the first '.I' record", file: file, line: lineNumber)
                    }
                    field = letter
                    let first = trimmed(rest)
                    if !first.isEmpty { fieldLines.append(Substring(first)) }
                }
                continue
            }
            if field != nil {
                fieldLines.append(rawLine)
            } else if current == nil, rawLine.contains(where: { !$0.isWhitespace }) {
                throw EvaluationError(.malformedLine, "text before the first '.I' record", file: file, line: lineNumber)
            }
            // Text after `.I` but before any field marker is ignored, as SMART readers do.
        }
        closeField()
        if let done = current { records.append(done) }
        return records
    }

    /// The text without leading and trailing white space (spaces, tabs, line ends).
    static func trimmed(_ text: some StringProtocol) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }), let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }

    /// `(letter, rest of line)` when the line is a field marker: a period, one capital ASCII
    /// letter, then the end of the line or white space.
    private static func marker(_ line: Substring) -> (Character, Substring)? {
        var index = line.startIndex
        guard index < line.endIndex, line[index] == "." else { return nil }
        index = line.index(after: index)
        guard index < line.endIndex, let ascii = line[index].asciiValue, (65...90).contains(ascii) else { return nil }
        let letter = line[index]
        index = line.index(after: index)
        guard index == line.endIndex || line[index].isWhitespace else { return nil }
        return (letter, line[index...])
    }
}
