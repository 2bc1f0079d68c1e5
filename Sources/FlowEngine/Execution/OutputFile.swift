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

    /// Parses the file's text. Empty lines are ignored; `\r\n` endings are accepted.
    /// - Throws: `FormatError` for a line that is neither form, an empty name, or a heredoc
    ///   whose delimiter never comes.
    public static func parse(_ text: String) throws(FormatError) -> [String: String] {
        var outputs: [String: String] = [:]
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        if lines.last == "" { lines.removeLast() }
        var i = 0
        while i < lines.count {
            let line = lines[i]
            i += 1
            if line.isEmpty { continue }
            let eq = line.firstIndex(of: "=")
            let heredoc = line.range(of: "<<")
            if let heredoc, eq.map({ heredoc.lowerBound < $0 }) ?? true {
                let name = String(line[..<heredoc.lowerBound])
                let delimiter = line[heredoc.upperBound...]
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
                let name = String(line[..<eq])
                guard !name.isEmpty else { throw FormatError(line: i, message: "expected a name before '='") }
                outputs[name] = String(line[line.index(after: eq)...])
            } else {
                throw FormatError(line: i, message: "expected 'name=value' or 'name<<DELIMITER'")
            }
        }
        return outputs
    }
}
