/// Rows of CSV text (RFC 4180): fields separated by commas, a field in double quotes may hold
/// commas, line breaks and doubled quotes (`""`); lines end with `\n` or `\r\n`.
enum CSVRows {
    struct Row: Sendable, Hashable {
        var fields: [String]
        /// 1-based line where the row starts.
        var line: Int
    }

    static func parse(_ text: String) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var rowLine = 1
        var atFieldStart = true
        var characters = text.makeIterator()
        var pending: Character?
        func endRow() {
            fields.append(field)
            rows.append(Row(fields: fields, line: rowLine))
            fields = []
            field = ""
            atFieldStart = true
        }
        while let c = pending ?? characters.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = characters.next() {
                        if next == "\"" {
                            field.append("\"")
                        } else {
                            quoted = false
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where atFieldStart:
                quoted = true
                atFieldStart = false
            case ",":
                fields.append(field)
                field = ""
                atFieldStart = true
            case "\n", "\r\n":
                endRow()
                line += 1
                rowLine = line
            default:
                field.append(c)
                atFieldStart = false
            }
        }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }
}
