import FlowCore
import Testing

@Suite("Number text and JSON")
struct NumberAndJSONTests {
    struct NumberCase: Sendable, CustomTestStringConvertible {
        var number: Double
        var text: String
        var testDescription: String { text }
    }

    // GitHub prints numbers with .NET's "G15" (actions/runner ExpressionConstants.NumberFormat).
    // Expected texts derived by hand from Microsoft's "Standard numeric format strings", "General
    // format specifier (G)": 15 significant digits, trailing zeros removed, scientific notation
    // "if the exponent resulting from expressing the number in scientific notation is greater
    // than -5 and less than the precision specifier" is false, with "E", a sign and at least two
    // exponent digits.
    static let numbers: [NumberCase] = [
        NumberCase(number: 0, text: "0"),
        NumberCase(number: -0.0, text: "0"),
        NumberCase(number: 711, text: "711"),
        NumberCase(number: -9.2, text: "-9.2"),
        NumberCase(number: 0.1 + 0.2, text: "0.3"),  // 0.30000000000000004 to 15 digits
        NumberCase(number: 1.0 / 3.0, text: "0.333333333333333"),
        NumberCase(number: 2.0 / 3.0, text: "0.666666666666667"),
        NumberCase(number: 123456789012345, text: "123456789012345"),
        NumberCase(number: 1e15, text: "1E+15"),
        NumberCase(number: 1234567890123456768, text: "1.23456789012346E+18"),
        NumberCase(number: 999999999999999.9, text: "1E+15"),
        NumberCase(number: 0.0001, text: "0.0001"),
        NumberCase(number: 0.00001, text: "1E-05"),
        NumberCase(number: -1.5e-7, text: "-1.5E-07"),
        NumberCase(number: 1e100, text: "1E+100"),
        NumberCase(number: .infinity, text: "Infinity"),
        NumberCase(number: -.infinity, text: "-Infinity"),
        NumberCase(number: .nan, text: "NaN"),
    ]

    @Test("prints numbers as GitHub does", arguments: numbers)
    func numberText(_ row: NumberCase) {
        #expect(ExpressionValue.number(row.number).renderedString == row.text)
    }

    struct CoercionCase: Sendable, CustomTestStringConvertible {
        var text: String
        var number: Double
        var testDescription: String { "'\(text)'" }
    }

    // docs "Operators" coercion table: a string is "Parsed from any legal JSON number format,
    // otherwise NaN. Note: empty string returns 0."; surrounding whitespace ignored and 0x hex as
    // actions/runner ExpressionUtility.ParseNumber (ls op_idx.json ' 0x02 ' → 2).
    static let coercions: [CoercionCase] = [
        CoercionCase(text: "", number: 0),
        CoercionCase(text: "  ", number: 0),
        CoercionCase(text: "42", number: 42),
        CoercionCase(text: " -1.5e3 ", number: -1500),
        CoercionCase(text: ".5", number: 0.5),
        CoercionCase(text: "0x1F", number: 31),
        CoercionCase(text: "Infinity", number: .infinity),
        CoercionCase(text: "1,000", number: .nan),
        CoercionCase(text: "abc", number: .nan),
        CoercionCase(text: "1e", number: .nan),
    ]

    @Test("coerces strings to numbers as GitHub does", arguments: coercions)
    func coercion(_ row: CoercionCase) throws {
        // `x == x` is false exactly for NaN; otherwise compare with the expected number.
        let context = ExpressionContext(values: ["s": .string(row.text)])
        let equal = try Expression.parse("s == \(row.number.isNaN ? "NaN" : ExpressionValue.number(row.number).renderedString)").evaluate(
            in: context)
        let isNumber = try Expression.parse("s == s").evaluate(in: context)
        if row.number.isNaN {
            #expect(try Expression.parse("s < 0 || s >= 0").evaluate(in: context) == .bool(false))
        } else {
            #expect(equal == .bool(true))
        }
        #expect(isNumber == .bool(true))  // string == string compares text, not numbers
    }

    @Test("JSON round-trips through toJSON and fromJSON")
    func roundTrip() throws {
        let value = ExpressionValue.object([
            "list": .array([.number(1), .number(-2.5), .bool(true), .null, .string("a\"b\\c\nd\u{1}é😀")]),
            "empty": .object([:]),
            "nested": .object(["x": .array([])]),
        ])
        #expect(try ExpressionValue(parsingJSON: value.json) == value)
    }

    // RFC 8259 §7 escapes; Newtonsoft.Json writes other controls as \u00xx (lower-case hex).
    @Test("escapes strings as Newtonsoft.Json does")
    func escapes() {
        #expect(ExpressionValue.string("a\"b\\c\n\r\t\u{8}\u{C}\u{1}\u{2028}é").json == #""a\"b\\c\n\r\t\b\f\u0001\u2028é""#)
    }

    @Test("reads JSON escapes, surrogate pairs and exponents")
    func parsesEscapes() throws {
        #expect(try ExpressionValue(parsingJSON: #" "\u00e9\ud83d\ude00\/" "#) == .string("é😀/"))
        #expect(try ExpressionValue(parsingJSON: "[1e2, -0.5E-1, 0]") == .array([.number(100), .number(-0.05), .number(0)]))
        #expect(try ExpressionValue(parsingJSON: #"{"a": 1, "a": 2}"#) == .object(["a": .number(2)]))
    }

    struct BadJSON: Sendable, CustomTestStringConvertible {
        var text: String
        var message: String
        var offset: Int
        var testDescription: String { text }
    }

    static let badJSON: [BadJSON] = [
        BadJSON(text: "", message: "expected a JSON value, found end of text", offset: 0),
        BadJSON(text: "[1, 2,]", message: "unexpected ']' in JSON", offset: 6),
        BadJSON(text: "{'a': 1}", message: "unexpected ''' where a JSON object key was expected", offset: 1),
        BadJSON(text: "01", message: "unexpected '1' after the JSON value", offset: 1),
        BadJSON(text: "[1 2]", message: "unexpected '2' where ',' or ']' was expected", offset: 3),
        BadJSON(text: "\"abc", message: "unterminated JSON string", offset: 0),
        BadJSON(text: "tru", message: "unexpected end of JSON text", offset: 3),
        BadJSON(text: String(repeating: "[", count: 300), message: "JSON nests more than 256 levels", offset: 256),
    ]

    @Test("rejects text that is not JSON, pointing at the first bad character", arguments: badJSON)
    func rejects(_ row: BadJSON) {
        #expect {
            try ExpressionValue(parsingJSON: row.text)
        } throws: { error in
            guard let error = error as? ExpressionError else { return false }
            return error.message == row.message && error.offset == row.offset
        }
    }
}
