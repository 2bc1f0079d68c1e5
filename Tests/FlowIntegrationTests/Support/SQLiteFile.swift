import Foundation

/// Reads a database with the `sqlite3` command-line shell — an independent reader of what
/// flow wrote. Values come back as text ('' for NULL).
struct SQLiteFile {
    let path: String

    init(_ path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else { throw CocoaError(.fileNoSuchFile) }
    }

    func rows(_ sql: String, _ arguments: [String] = []) throws -> [[String]] {
        var query = sql
        for argument in arguments {
            guard let range = query.range(of: "?") else { break }
            query.replaceSubrange(range, with: "'" + argument.replacingOccurrences(of: "'", with: "''") + "'")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        // ASCII unit/record separators keep values with newlines intact.
        process.arguments = ["-readonly", "-separator", "\u{1F}", "-newline", "\u{1E}", path, query]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\u{1E}", omittingEmptySubsequences: true).map {
            $0.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// Checkpoints the WAL into the main file so the file alone holds everything.
    func close() throws {
        _ = try rows("PRAGMA wal_checkpoint(TRUNCATE)")
    }
}
