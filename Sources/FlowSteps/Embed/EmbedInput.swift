import FlowCore
import FlowEngine
import Foundation

/// One text to embed, read from the `chunk` step's `chunks.jsonl`
/// (`{"id", "document_id", "text", "start", "end", "hash", "metadata"}` per line) or from a
/// documents file (`{"id", "text", …}` per line, as the `parse` step writes: each document is
/// then one chunk of itself).
struct EmbedInput: Sendable {
    var id: String
    var documentID: String
    var text: String
    /// Every other field of the line (`start`, `end`, `metadata`, `url`, `title`…), kept as the
    /// point's payload. The line's own `hash` is not kept: the content hash is recomputed.
    var payload: [String: ExpressionValue]

    /// Reads a JSONL file of chunks or documents. Blank lines are skipped. `id` may be a string
    /// or a number; `document_id` defaults to `id`.
    /// - Throws: a permanent `StepFailure` naming the file and 1-based line of the first bad
    ///   record (not JSON, not an object, no string `text`, no `id`, an id seen before).
    static func read(_ path: String, kind: String) throws(StepFailure) -> [EmbedInput] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw StepFailure("\(kind): cannot read \(path): \((error as NSError).localizedDescription)", permanent: true)
        }
        let decoder = JSONDecoder()
        var records: [EmbedInput] = []
        var lineOf: [String: Int] = [:]
        var line = 0
        var start = data.startIndex
        while start < data.endIndex {
            line += 1
            let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
            let slice = data[start..<end]
            start = end < data.endIndex ? end + 1 : end
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            func bad(_ reason: String) -> StepFailure {
                StepFailure("\(kind): \(path):\(line): \(reason)", permanent: true)
            }
            guard let object = try? decoder.decode([String: JSONValueBox].self, from: slice) else {
                throw bad("not a JSON object")
            }
            var fields = object.mapValues(\.value)
            guard case .string(let text)? = fields.removeValue(forKey: "text") else { throw bad("no string field 'text'") }
            guard let id = Self.identifier(fields.removeValue(forKey: "id")) else { throw bad("no string or number field 'id'") }
            let documentID = Self.identifier(fields.removeValue(forKey: "document_id")) ?? id
            fields.removeValue(forKey: "hash")
            if let first = lineOf[id] { throw bad("id '\(id)' was already used on line \(first)") }
            lineOf[id] = line
            records.append(EmbedInput(id: id, documentID: documentID, text: text, payload: fields))
        }
        return records
    }

    private static func identifier(_ value: ExpressionValue?) -> String? {
        switch value {
        case .string(let s)? where !s.isEmpty: s
        case .number(let n)?: ExpressionValue.number(n).renderedString
        default: nil
        }
    }
}
