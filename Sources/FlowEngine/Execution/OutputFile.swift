/// The `$FLOW_OUTPUT` file format, as GitHub's `$GITHUB_OUTPUT`: `name=value` lines, and
/// `name<<DELIMITER` followed by value lines and a line holding only `DELIMITER` for
/// multi-line values. Later assignments win.
public enum OutputFile {
    /// A malformed line: 1-based `line` and what is expected.
    public struct FormatError: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "$FLOW_OUTPUT line \(line): \(message)" }
    }

    /// Parses the file's text. Empty lines are ignored. Lines end at `\n` and lose one
    /// trailing `\r`, so CRLF files read like LF ones (GitHub's runner trims the `\r` of each
    /// line and of heredoc delimiters the same way).
    /// - Throws: `FormatError` for a line that is neither form, an empty name, or a heredoc
    ///   whose delimiter never comes.
    public static func parse(_ text: String) throws(FormatError) -> [String: String] {
        var outputs: [String: String] = [:]
        // Split on Unicode scalars: as `Character`s, "\r\n" is a single one, so splitting
        // the `String` on "\n" would never see the line ends of a CRLF file.
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
            line -> Substring in
            Substring(line.last == "\r" ? line.dropLast() : line)
        }
        if lines.last == "" { lines.removeLast() }
        var i = 0
        while i < lines.count {
            let line = lines[i]
            i += 1
            if line.isEmpty { continue }
            let eq = line.unicodeScalars.firstIndex(of: "=")
            let heredoc = line.unicodeScalars.firstRange(of: "<<".unicodeScalars)
            if let heredoc, eq.map({ heredoc.lowerBound < $0 }) ?? true {
                let name = String(line.unicodeScalars[..<heredoc.lowerBound])
                let delimiter = Substring(line.unicodeScalars[heredoc.upperBound...])
                guard !name.isEmpty else { throw FormatError(line: i, message: "expected a name before '<<'") }
                guard !delimiter.isEmpty else { throw FormatError(line: i, message: "expected a delimiter after '<<'") }
                var value: [Substring] = []
                let start = i
                var closed = false
                while i < lines.count {
                    let l = lines[i]
                    i += 1
                    if l == delimiter {
                        closed = true
                        break
                    }
                    value.append(l)
                }
                guard closed else {
                    throw FormatError(line: start, message: "no line '\(delimiter)' ends the value of '\(name)'")
                }
                outputs[name] = value.joined(separator: "\n")
            } else if let eq {
                let name = String(line.unicodeScalars[..<eq])
                guard !name.isEmpty else { throw FormatError(line: i, message: "expected a name before '='") }
                outputs[name] = String(line.unicodeScalars[line.unicodeScalars.index(after: eq)...])
            } else {
                throw FormatError(line: i, message: "expected 'name=value' or 'name<<DELIMITER'")
            }
        }
        return outputs
    }
}
