public import FlowCore

/// Compact JSON text for payloads and request bodies (RFC 8259): no whitespace, object keys
/// sorted (so output is deterministic), integral numbers below 2^53 without a fraction, other
/// numbers in Swift's shortest round-trip form, NaN and infinities as `null`.
public enum JSONText {
    public static func encode(_ value: ExpressionValue) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    public static func encode(_ object: [String: ExpressionValue]) -> String {
        encode(.object(object))
    }

    /// The object in `text`, or nil when `text` is not a JSON object.
    public static func decodeObject(_ text: String) -> [String: ExpressionValue]? {
        (try? ExpressionValue(parsingJSON: text))?.objectValue
    }

    static func write(_ value: ExpressionValue, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): writeNumber(n, into: &out)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, key) in members.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                writeString(key, into: &out)
                out += ":"
                write(members[key]!, into: &out)
            }
            out += "}"
        }
    }

    static func writeNumber(_ n: Double, into out: inout String) {
        if !n.isFinite {
            out += "null"
        } else if n == n.rounded(), abs(n) < 9_007_199_254_740_992 {
            out += String(Int64(n))
        } else {
            out += "\(n)"
        }
    }

    static func writeFloat(_ f: Float, into out: inout String) {
        if !f.isFinite {
            out += "null"
        } else {
            out += "\(f)"
        }
    }

    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
