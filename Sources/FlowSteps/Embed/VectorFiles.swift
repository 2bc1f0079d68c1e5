public import FlowCore
public import FlowEngine
import Foundation

/// The `embed` step's output, read by `upsert`: two files side by side.
/// - `vectors.f32`: `count × dimension` little-endian IEEE 754 float32 values, row-major, no
///   header (numpy: `np.fromfile(path, "<f4").reshape(count, dimension)`).
/// - `vectors.jsonl`: one line per row, in row order:
///   `{"id", "row", "hash", "document_id", "text", "payload"}` — `row` is 0-based, `hash` the
///   SHA-256 (hex) of `text`, `payload` the chunk's other fields.
public enum VectorFiles {
    /// One row's description.
    public struct Entry: Sendable, Hashable {
        public var id: String
        public var row: Int
        public var hash: String
        public var documentID: String
        public var text: String
        public var payload: [String: ExpressionValue]

        public init(id: String, row: Int, hash: String, documentID: String, text: String, payload: [String: ExpressionValue]) {
            self.id = id
            self.row = row
            self.hash = hash
            self.documentID = documentID
            self.text = text
            self.payload = payload
        }
    }

    /// The file beside `path` with the other extension: `x.f32` ↔ `x.jsonl`.
    public static func sibling(of path: String, extension ext: String) -> String {
        ((path as NSString).deletingPathExtension as NSString).appendingPathExtension(ext) ?? path
    }

    /// Writes both files (replacing them, creating the folder). `vectors` holds
    /// `entries.count × dimension` floats.
    /// - Throws: the file system's error.
    public static func write(entries: [Entry], vectors: [Float], dimension: Int, f32 path: String, jsonl indexPath: String) throws {
        precondition(vectors.count == entries.count * dimension, "vector count")
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try vectors.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: path), options: .atomic)
        var out = Data()
        var line = ""
        for entry in entries {
            line.removeAll(keepingCapacity: true)
            line += "{\"id\":"
            JSONText.writeString(entry.id, into: &line)
            line += ",\"row\":\(entry.row),\"hash\":"
            JSONText.writeString(entry.hash, into: &line)
            line += ",\"document_id\":"
            JSONText.writeString(entry.documentID, into: &line)
            line += ",\"text\":"
            JSONText.writeString(entry.text, into: &line)
            line += ",\"payload\":"
            JSONText.write(.object(entry.payload), into: &line)
            line += "}\n"
            out.append(contentsOf: line.utf8)
        }
        try out.write(to: URL(fileURLWithPath: indexPath), options: .atomic)
    }

    /// Reads both files.
    /// - Returns: the entries in row order, the floats, and the dimension (0 when there are no rows).
    /// - Throws: a permanent `StepFailure` when a file is missing or malformed, or the sizes disagree.
    public static func read(f32 path: String, jsonl indexPath: String, kind: String) throws(StepFailure) -> (
        entries: [Entry], vectors: [Float], dimension: Int
    ) {
        guard let raw = FileManager.default.contents(atPath: path) else {
            throw StepFailure("\(kind): cannot read \(path)", permanent: true)
        }
        guard let index = FileManager.default.contents(atPath: indexPath) else {
            throw StepFailure("\(kind): cannot read \(indexPath)", permanent: true)
        }
        let decoder = JSONDecoder()
        var entries: [Entry] = []
        var line = 0
        var start = index.startIndex
        while start < index.endIndex {
            line += 1
            let end = index[start...].firstIndex(of: 0x0A) ?? index.endIndex
            let slice = index[start..<end]
            start = end < index.endIndex ? end + 1 : end
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard let record = try? decoder.decode(IndexLine.self, from: slice), record.row == entries.count else {
                throw StepFailure("\(kind): \(indexPath):\(line): not a vectors.jsonl line for row \(entries.count)", permanent: true)
            }
            entries.append(
                Entry(
                    id: record.id, row: record.row, hash: record.hash, documentID: record.document_id, text: record.text,
                    payload: record.payload?.value.objectValue ?? [:]))
        }
        guard raw.count % 4 == 0, entries.isEmpty ? raw.isEmpty : raw.count % (4 * entries.count) == 0 else {
            throw StepFailure("\(kind): \(path) has \(raw.count) bytes, not \(entries.count) rows of float32", permanent: true)
        }
        var vectors = [Float](repeating: 0, count: raw.count / 4)
        vectors.withUnsafeMutableBytes { target in raw.withUnsafeBytes { target.copyMemory(from: $0) } }
        let dimension = entries.isEmpty ? 0 : vectors.count / entries.count
        return (entries, vectors, dimension)
    }

    private struct IndexLine: Decodable {
        var id: String
        var row: Int
        var hash: String
        var document_id: String
        var text: String
        var payload: JSONValueBox?
    }
}
