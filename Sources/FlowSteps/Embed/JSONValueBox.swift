import FlowCore

/// Decodes any JSON value into an `ExpressionValue` (the JSON data model) through
/// `JSONDecoder`, for JSONL records whose fields are open-ended.
struct JSONValueBox: Decodable {
    var value: ExpressionValue

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            value = .null
        } else if let b = try? c.decode(Bool.self) {
            value = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            value = .number(n)
        } else if let s = try? c.decode(String.self) {
            value = .string(s)
        } else if let a = try? c.decode([JSONValueBox].self) {
            value = .array(a.map(\.value))
        } else {
            value = .object(try c.decode([String: JSONValueBox].self).mapValues(\.value))
        }
    }
}
