import FlowCore
import Yams

/// One workflow file parsed by libyaml (through Yams) into a node tree whose nodes keep their
/// line and column.
///
/// Yams 6 refuses a mapping with duplicate keys and stops at the first one, which would hide
/// every other problem and point at the wrong occurrence. So when it reports a duplicate, we
/// overwrite the first occurrence's key in a private copy of the text with placeholder
/// characters of the same width (lines and columns do not move), remember its real name, and
/// parse again. The walker then sees both keys and reports the second, as compilers do.
struct YAMLDocument {
    /// The root node; nil for an empty document.
    var root: Node?
    /// Real names of keys that were overwritten, by the key's position.
    var renamedKeys: [Position: String]

    struct Position: Hashable {
        var line: Int
        var column: Int
    }

    /// Parses `text`.
    ///
    /// - Throws: one `yaml-syntax` diagnostic for a syntax error (libyaml stops at the first).
    static func parse(_ text: String, file: String, source: SourceText) throws(DiagnosticError) -> YAMLDocument {
        var yaml = text
        var renamed: [Position: String] = [:]
        var edited: [Unicode.Scalar]?
        while true {
            do {
                let parser = try Parser(yaml: yaml, resolver: .basic, constructor: .default)
                let root = try parser.singleRoot()
                return YAMLDocument(root: root, renamedKeys: renamed)
            } catch let error as YamlError {
                if case .duplicatedKeysInMapping(let duplicates, let context) = error,
                    let name = duplicates.first, renamed.count < 10_000
                {
                    if edited == nil { edited = source.scalars }
                    let position = Position(line: context.mark.line, column: context.mark.column)
                    if renamed[position] == nil,
                        overwriteKey(name, at: position, in: &edited!, source: source, serial: renamed.count)
                    {
                        renamed[position] = name
                        var scalars = String.UnicodeScalarView()
                        scalars.append(contentsOf: edited!)
                        yaml = String(scalars)
                        continue
                    }
                    throw DiagnosticError([
                        Diagnostic(
                            code: .duplicateKey, message: "duplicate key '\(name)'",
                            at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                            length: name.unicodeScalars.count)
                    ])
                }
                throw DiagnosticError([diagnostic(for: error, file: file, source: source)])
            } catch {
                throw DiagnosticError([Diagnostic(code: .yamlSyntax, message: "cannot parse YAML: \(error)", at: nil)])
            }
        }
    }

    /// Replaces the key written at `position` (a plain or quoted scalar spelling `name`) with
    /// private-use characters of the same count; false when the text there is not that key.
    private static func overwriteKey(
        _ name: String, at position: Position, in text: inout [Unicode.Scalar], source: SourceText, serial: Int
    ) -> Bool {
        let start = source.offset(line: position.line, column: position.column)
        guard start < text.count else { return false }
        var range: Range<Int>
        let first = text[start]
        if first == "\"" || first == "'" {
            var end = start + 1
            while end < text.count {
                if first == "\"", text[end] == "\\" {
                    end += 2
                    continue
                }
                if text[end] == first {
                    if first == "'", end + 1 < text.count, text[end + 1] == "'" {
                        end += 2
                        continue
                    }
                    break
                }
                end += 1
            }
            guard end < text.count, end > start + 1 else { return false }
            range = (start + 1)..<end
        } else {
            let nameScalars = Array(name.unicodeScalars)
            guard !nameScalars.isEmpty, start + nameScalars.count <= text.count,
                Array(text[start..<(start + nameScalars.count)]) == nameScalars
            else { return false }
            range = start..<(start + nameScalars.count)
        }
        // U+E000… is printable for libyaml and cannot clash with a real key in practice; the
        // first character carries a serial number so overwritten keys stay distinct.
        var digit = serial
        for index in range where text[index] != "\n" && text[index] != "\r" {
            text[index] = Unicode.Scalar(0xE000 + UInt32(digit % 6_400))!
            digit /= 6_400
        }
        return true
    }

    /// libyaml's own problem text at its mark, with its context as a note.
    private static func diagnostic(for error: YamlError, file: String, source: SourceText) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var hint: String?
            var problem = problem
            if let context, context.text.hasPrefix("expected a single document") {
                // Yams' own composer message for a second `---` document.
                problem = "a workflow file holds one document, but found another"
            } else if problem.hasPrefix("Maximum nesting level reached") {
                // libyaml's text names its C API ("set with yaml_set_max_nest_level()"); its
                // limit is MAX_NESTING_LEVEL = 1000 in parser.c.
                problem = "lists and mappings are nested too deeply (at most 1000 levels)"
            } else if let context {
                hint = "\(context.text) at line \(context.mark.line), column \(context.mark.column)"
            }
            let (line, column) = clamped(line: mark.line, column: mark.column, in: source)
            return Diagnostic(
                code: .yamlSyntax, message: "invalid YAML: \(problem)",
                at: SourceLocation(file: file, line: line, column: column), hint: hint)
        case .reader(let problem, let offset, let value, _):
            var location: SourceLocation?
            if let offset {
                // Yams gives the offset in Characters; count scalars up to there.
                let (line, column) = source.position(of: scalarOffset(ofCharacter: offset, in: source))
                location = SourceLocation(file: file, line: line, column: column)
            }
            let detail = value >= 0 ? " (U+\(hex(value)))" : ""
            return Diagnostic(code: .yamlSyntax, message: "invalid YAML: \(problem)\(detail)", at: location)
        default:
            return Diagnostic(code: .yamlSyntax, message: "invalid YAML: \(error)", at: nil)
        }
    }

    /// libyaml reports the end of the stream on the line after a final line break; point at
    /// the end of the last line instead, so the excerpt shows where the text stops.
    private static func clamped(line: Int, column: Int, in source: SourceText) -> (Int, Int) {
        let endsWithBreak = source.lineStarts.last == source.scalars.count
        let lines = source.lineStarts.count - (endsWithBreak ? 1 : 0)
        guard line > lines, lines >= 1 else { return (line, column) }
        let start = source.lineStarts[lines - 1]
        var end = source.endOfLine(from: start)
        if end > start, source.scalars[end - 1] == "\r" { end -= 1 }
        return (lines, end - start + 1)
    }

    /// Four or more upper-case hex digits.
    private static func hex(_ value: Int32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private static func scalarOffset(ofCharacter offset: Int, in source: SourceText) -> Int {
        var string = String.UnicodeScalarView()
        string.append(contentsOf: source.scalars)
        let text = String(string)
        guard let index = text.index(text.startIndex, offsetBy: offset, limitedBy: text.endIndex) else {
            return source.scalars.count
        }
        return text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: index)
    }
}
