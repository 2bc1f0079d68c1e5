// JSON text for `toJSON()` and `fromJSON()`.
extension ExpressionValue {
    /// The value as pretty JSON, as GitHub's `toJSON()` writes it (actions/runner `ToJson`):
    /// two-space indent, one element or member per line, `"key": value`, empty containers as
    /// `[]` and `{}`, numbers as GitHub prints them (so NaN and infinities appear as `NaN`,
    /// `Infinity`). Object members are sorted by key (ordinal), because `.object` does not keep
    /// insertion order. Strings are escaped as Newtonsoft.Json does: `\"`, `\\`, `\n`, `\r`, `\t`,
    /// `\b`, `\f`, other controls and U+0085, U+2028, U+2029 as `\u00XX`-style escapes.
    public var json: String {
        var out = ""
        Self.writeJSON(self, level: 0, into: &out)
        return out
    }

    /// Parses JSON text (RFC 8259, strict: no comments, trailing commas or single quotes) into a
    /// value, as `fromJSON()` does. Numbers become doubles; for a key given twice the last wins;
    /// a lone surrogate escape becomes U+FFFD.
    ///
    /// - Throws: `ExpressionError` with the offset (in Unicode scalars) of the first character
    ///   that is not valid JSON; empty or whitespace-only text is an error.
    public init(parsingJSON text: String) throws(ExpressionError) {
        var parser = JSONValueParser(text)
        self = try parser.parseDocument()
    }

    private static func writeJSON(_ value: ExpressionValue, level: Int, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += gitHubNumberText(n)
        case .string(let s): writeJSONString(s, into: &out)
        case .array(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (k, item) in items.enumerated() {
                out += k == 0 ? "\n" : ",\n"
                indent(level + 1, into: &out)
                writeJSON(item, level: level + 1, into: &out)
            }
            out += "\n"
            indent(level, into: &out)
            out += "]"
        case .object(let members):
            if members.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            for (k, key) in members.keys.sorted().enumerated() {
                out += k == 0 ? "\n" : ",\n"
                indent(level + 1, into: &out)
                writeJSONString(key, into: &out)
                out += ": "
                writeJSON(members[key]!, level: level + 1, into: &out)
            }
            out += "\n"
            indent(level, into: &out)
            out += "}"
        }
    }

    private static func indent(_ level: Int, into out: inout String) {
        for _ in 0..<(level * 2) { out += " " }
    }

    /// `s` as a quoted JSON string with Newtonsoft.Json's default escaping.
    static func writeJSONString(_ s: String, into out: inout String) {
        out.unicodeScalars.append("\"")
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                let v = scalar.value
                if v < 0x20 || v == 0x85 || v == 0x2028 || v == 0x2029 {
                    let hex = String(v, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.unicodeScalars.append("\"")
    }
}
