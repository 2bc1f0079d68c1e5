import Foundation

/// Splits TREC-style text (qrels, run files) into lines of whitespace-separated fields, the way
/// trec_eval's readers do: fields are separated by C `isspace` bytes (space, `\t`, `\n`, `\v`,
/// `\f`, `\r`, so CRLF files read fine), blank lines are skipped, and so are lines whose first
/// non-blank byte is `#`.
struct TRECLineReader {
    /// The whole input as UTF-8 bytes.
    let bytes: [UInt8]
    /// The name used in error messages.
    let file: String

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    /// Reads the file at `path`.
    ///
    /// - Throws: `EvaluationError` `.unreadableFile` when it cannot be read.
    init(contentsOfFile path: String) throws(EvaluationError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvaluationError(.unreadableFile, "cannot read file", file: path)
        }
        self.init(bytes: [UInt8](data), file: path)
    }

    /// Calls `body` once per content line with its 1-based number and the byte ranges of its
    /// fields (at least one).
    func forEachLine<E: Error>(
        _ body: (_ line: Int, _ fields: [Range<Int>]) throws(E) -> Void
    ) throws(E) {
        var fields: [Range<Int>] = []
        fields.reserveCapacity(8)
        var lineNumber = 0
        var index = 0
        let count = bytes.count
        while index < count {
            lineNumber += 1
            fields.removeAll(keepingCapacity: true)
            var isComment = false
            bytes.withUnsafeBufferPointer { bytes in
                while index < count, bytes[index] != 0x0A {
                    if Self.isSpace(bytes[index]) {
                        index += 1
                        continue
                    }
                    if fields.isEmpty, bytes[index] == 0x23 {  // '#'
                        isComment = true
                    }
                    let start = index
                    while index < count, !Self.isSpace(bytes[index]) { index += 1 }
                    fields.append(start..<index)
                }
            }
            index += 1  // past '\n'
            if !fields.isEmpty, !isComment {
                try body(lineNumber, fields)
            }
        }
    }

    /// The field's text (invalid UTF-8 is repaired with U+FFFD).
    func string(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
        }
    }

    /// Whether two fields hold the same bytes.
    func bytesEqual(_ lhs: Range<Int>, _ rhs: Range<Int>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return bytes.withUnsafeBufferPointer { bytes in
            memcmp(bytes.baseAddress! + lhs.lowerBound, bytes.baseAddress! + rhs.lowerBound, lhs.count) == 0
        }
    }

    /// The field as a `Double` (Swift's parser, which accepts what `strtod` does, including
    /// exponents, `inf` and `nan`); nil when it is not a number.
    func double(_ range: Range<Int>) -> Double? {
        Double(Substring(string(range)))
    }

    /// C `isspace` in the "C" locale.
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}
