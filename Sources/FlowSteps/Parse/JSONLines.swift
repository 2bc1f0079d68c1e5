import Foundation

/// JSON Lines files (one JSON object per line, UTF-8, `\n` line ends; jsonlines.org), the
/// format large data moves in between steps. Keys are written sorted, slashes unescaped.
enum JSONLines {
    /// Writes `records` to `path`, replacing the file, creating its folder.
    /// - Throws: the encoder's or the file system's error.
    static func write<T: Encodable>(_ records: [T], to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for record in records {
            data.append(try encoder.encode(record))
            data.append(0x0A)
        }
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The records of the file at `path`, in order; blank lines are skipped.
    /// - Throws: `JSONLinesError` naming the file and the 1-based line that is not a valid
    ///   record, or the file system's error.
    static func read<T: Decodable>(_ type: T.Type, from path: String) throws -> [T] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let decoder = JSONDecoder()
        var records: [T] = []
        var line = 0
        var start = data.startIndex
        while start < data.endIndex {
            line += 1
            let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
            let slice = data[start..<end]
            start = end < data.endIndex ? end + 1 : end
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do {
                records.append(try decoder.decode(T.self, from: slice))
            } catch {
                throw JSONLinesError(path: path, line: line, reason: Self.describe(error))
            }
        }
        return records
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted: "not valid JSON"
        default: "\(error)"
        }
    }
}
