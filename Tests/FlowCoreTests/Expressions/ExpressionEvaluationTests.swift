import FlowCore
import Testing

// Expected values come from GitHub's documentation of the expression language,
// https://docs.github.com/en/actions/reference/workflows-and-actions/expressions ("docs" below,
// with the section), and from the test data of GitHub's reference implementation,
// https://github.com/actions/languageservices/tree/main/expressions/testdata ("ls" below, with the
// file). Where our behaviour deliberately differs (object member order), the row says so.

private let ok = ExpressionContext.Status(anyFailed: false, cancelled: false)
private let failed = ExpressionContext.Status(anyFailed: true, cancelled: false)
private let cancelled = ExpressionContext.Status(anyFailed: false, cancelled: true)

enum ExpressionTable {
    // docs "Literals", "Example of literals".
    static let literals: [ExpressionCase] = [
        row("null", .null),
        row("false", .bool(false)),
        row("true", .bool(true)),
        row("711", .number(711)),
        row("-9.2", .number(-9.2)),
        row("0xff", .number(255)),
        row("-2.99e-2", .number(-0.0299)),
        row("'It''s open source!'", .string("It's open source!")),
        // ls coerce_string.json: number literal forms.
        row(".5", .number(0.5)),
        row("+123456.789", .number(123456.789)),
        row("1.2E+2", .number(120)),
        row("0o10", .number(8)),
        row("Infinity", .number(.infinity)),
        row("-Infinity", .number(-.infinity)),
        row("NaN", .number(.nan)),
    ]

    // docs "Literals": "falsy values (false, 0, -0, "", '', null) are coerced to false and truthy
    // (true and other non-falsy values) are coerced to true"; ls result.ts: arrays and objects
    // are truthy.
    static let truthiness: [ExpressionCase] = [
        row("!false", .bool(true)),
        row("!0", .bool(true)),
        row("!-0", .bool(true)),
        row("!''", .bool(true)),
        row("!null", .bool(true)),
        row("!true", .bool(false)),
        row("!1", .bool(false)),
        row("!'false'", .bool(false)),
        row("!test", .bool(false), #"{"test": []}"#),
        row("!test", .bool(false), #"{"test": {}}"#),
    ]

    // ls operators_precedence.json (docs "Operators" lists them from tightest to loosest).
    static let precedence: [ExpressionCase] = [
        row("foo.bar.baz", .number(2), #"{"foo": {"bar": {"baz": 2}}}"#),
        row("!foo.bar", .bool(false), #"{"foo": {"bar": true}}"#),
        row("(!foo).bar", .null, #"{"foo": {"bar": true}}"#),
        row("3 > foo.bar", .bool(true), #"{"foo": {"bar": 2}}"#),
        row("3 > foo['bar']", .bool(true), #"{"foo": {"bar": 2}}"#),
        row("!2 < 3", .bool(true)),
        row("!(2 < 3)", .bool(false)),
        row("3 < 2 < 1", .bool(true)),
        row("3 < (2 < 1)", .bool(false)),
        row("0 > 0 < 1", .bool(true)),
        row("2 > 2 > 0", .bool(false)),
        row("2 <= 3 == true", .bool(true)),
        row("2 <= (3 == true)", .bool(false)),
        row("2 == 2 == 1", .bool(true)),
        row("2 == (2 == 1)", .bool(false)),
        row("2 == 2 != 0", .bool(true)),
        row("1 == 1 && 2", .number(2)),
        row("1 == (1 && 2)", .bool(false)),
        row("'a' == 'a' && 'b'", .string("b")),
        row("false && 0 || null", .null),
        row("false && (0 || null)", .bool(false)),
        row("1 || 2 && 3", .number(1)),
        row("(1 || 2) && 3", .number(3)),
    ]

    // ls op_or.json: || returns the first truthy operand, else the last.
    static let logical: [ExpressionCase] = [
        row("true || false", .bool(true)),
        row("false || false", .bool(false)),
        row("0 || 0 || 2 || 3", .number(2)),
        row("false || 0", .number(0)),
        row("false || '' || 'a' || 'b'", .string("a")),
        row("false || ''", .string("")),
        row("null || true", .bool(true)),
        row("false || null", .null),
    ]

    // docs "Operators": loose equality; "If the types do not match, GitHub coerces the type to a
    // number" (Null → 0, true → 1, false → 0, String → parsed from any legal JSON number format,
    // otherwise NaN, empty string → 0, Array/Object → NaN); NaN is never equal; "GitHub ignores
    // case when comparing strings"; "Objects and arrays are only considered equal when they are
    // the same instance".
    static let equality: [ExpressionCase] = [
        row("null == 0", .bool(true)),
        row("true == 1", .bool(true)),
        row("false == 0", .bool(true)),
        row("true == 2", .bool(false)),
        row("'' == 0", .bool(true)),
        row("'1.5e1' == 15", .bool(true)),
        row("'abc' == 0", .bool(false)),
        row("'1' == true", .bool(true)),
        row("null == false", .bool(true)),
        row("NaN == NaN", .bool(false)),
        row("NaN != NaN", .bool(true)),
        row("'ABC' == 'abc'", .bool(true)),
        row("test == 0", .bool(false), #"{"test": []}"#),
        row("test == test", .bool(true), #"{"test": {"a": 1}}"#),
        row("fromJSON('[]') == fromJSON('[]')", .bool(false)),
        row("1 == 1.0", .bool(true)),
    ]

    // ls op_lt.json (coercions as for ==; docs "Operators": "When NaN is one of the operands of
    // any relational comparison (>, <, >=, <=), the result is always false").
    static let relational: [ExpressionCase] = [
        row("false < true", .bool(true)),
        row("true < false", .bool(false)),
        row("1.001 < 1.002", .bool(true)),
        row("'abc' < 'def'", .bool(true)),
        row("'b' < 'a'", .bool(false)),
        row("test < test", .bool(false), #"{"test": []}"#),
        row("false < 1", .bool(true)),
        row("true < 2", .bool(true)),
        row("false < NaN", .bool(false)),
        row("NaN < true", .bool(false)),
        row("-Infinity < false", .bool(true)),
        row("false < '1'", .bool(true)),
        row("0 < ' 1 '", .bool(true)),
        row("' 1 ' < 1", .bool(false)),
        row("null < 1", .bool(true)),
        row("'-1' < null", .bool(true)),
        row("'' < null", .bool(false)),
        row("null < test", .bool(false), #"{"test": {}}"#),
        row("NaN >= NaN", .bool(false)),
        row("1 >= 1", .bool(true)),
        row("2 <= 1", .bool(false)),
    ]

    // ls operators_case_insensitive.json: ordinal comparison ignoring case; İ and ı do not fold.
    static let caseInsensitive: [ExpressionCase] = [
        row("'abcdefghijklmnopqrstuvwxyz' == 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'", .bool(true)),
        row("'abcdefghijklmnopqrstuvwxyz' < 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'", .bool(false)),
        row("'abcdefghijklmnopqrstuvwxyz' >= 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'", .bool(true)),
        row("'A' < '['", .bool(true)),
        row("'a' < '['", .bool(true)),
        row("'a' > '['", .bool(false)),
        row("'ς' == 'Σ'", .bool(true)),
        row("'ς' == 'σ'", .bool(true)),
        row("'ü' == 'Ü'", .bool(true)),
        row("'Ç' <= 'ç'", .bool(true)),
        row("'i' == 'İ'", .bool(false)),
        row("'i' < 'İ'", .bool(true)),
        row("'ı' == 'I'", .bool(false)),
        row("'I' < 'ı'", .bool(true)),
        row("'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЬЭЮЯ' == 'абвгдежзийклмнопрстуфхцчшщьэюя'", .bool(true)),
    ]

    // ls op_dot.json and basic.json (names and properties ignore case; a keyword after '.' is a
    // property name); a missing property is null.
    static let properties: [ExpressionCase] = [
        row("foo.bar", .string("baz"), #"{"foo": {"bar": "baz"}}"#),
        row("foo.Bar", .string("baz"), #"{"foo": {"Bar": "baz"}}"#),
        row("foo.bar", .string("baz"), #"{"foo": {"BAR": "baz"}}"#),
        row("foo.BAR", .string("baz"), #"{"foo": {"bar": "baz"}}"#),
        row("foo.b-ar", .string("baz"), #"{"foo": {"b-ar": "baz"}}"#),
        row("foo._bar", .string("baz"), #"{"foo": {"_bar": "baz"}}"#),
        row("foo.true", .string("it's true"), #"{"foo": {"true": "it's true"}}"#),
        row("foo.NaN", .string("it's NaN"), #"{"foo": {"NaN": "it's NaN"}}"#),
        row("foo.null", .string("it's null"), #"{"foo": {"null": "it's null"}}"#),
        row("foo.format", .string("it's format"), #"{"foo": {"format": "it's format"}}"#),
        row("SIMple.TEst", .number(123), #"{"simPLE": {"teST": 123}}"#),
        row(#"fromJson('{"one": "one val"}').one"#, .string("one val")),
        row(#"(fromJson('{"one": "one val"}')).one"#, .string("one val")),
        row("foo.missing", .null, #"{"foo": {"bar": "baz"}}"#),
        row("foo.missing.deeper", .null, #"{"foo": {}}"#),
        row("steps.build.outputs.digest", .string("sha256:ab"), #"{"steps": {"build": {"outputs": {"digest": "sha256:ab"}}}}"#),
    ]

    // ls op_idx.json: the index is coerced to a number for arrays (null → 0, true → 1, strings
    // trimmed and parsed, rounded down); out of range or not a number → null.
    static let indexes: [ExpressionCase] = [
        row("foo[null]", .string("zero"), #"{"foo": ["zero", "one", "two"]}"#),
        row("foo[false]", .string("zero"), #"{"foo": ["zero", "one", "two"]}"#),
        row("foo[true]", .string("one"), #"{"foo": ["zero", "one", "two"]}"#),
        row("foo[' 0.0 ']", .string("zero"), #"{"foo": ["zero", "one", "two"]}"#),
        row("foo[' 0x02 ']", .string("two"), #"{"foo": ["zero", "one", "two"]}"#),
        row("foo[' asdf ']", .null, #"{"foo": ["zero", "one", "two"]}"#),
        row("foo[1.9]", .string("one"), #"{"foo": ["zero", "one", "two"]}"#),
        row("foo[3]", .null, #"{"foo": ["zero", "one", "two"]}"#),
        row("foo[-1]", .null, #"{"foo": ["zero", "one", "two"]}"#),
        row("foo['bar']", .number(1), #"{"foo": {"bar": 1}}"#),
        row("foo[key]", .number(1), #"{"foo": {"bar": 1}, "key": "bar"}"#),
    ]

    // docs "Object filters" (fruits, vegetables); ls op_dot.json (foo[*]), basic.json, join.json.
    // GitHub does not guarantee the order of an object's values; ours is key order.
    static let filters: [ExpressionCase] = [
        row(
            "fruits.*.name", .array([.string("apple"), .string("orange"), .string("pear")]),
            #"{"fruits": [{"name": "apple", "quantity": 1}, {"name": "orange", "quantity": 2}, {"name": "pear", "quantity": 1}]}"#),
        row(
            "vegetables.*.ediblePortions",
            .array([
                .array([.string("hearts"), .string("stems"), .string("leaves")]),
                .array([.string("roots"), .string("stems"), .string("leaves")]),
                .array([.string("roots"), .string("stalks")]),
            ]),
            #"{"vegetables": {"scallions": {"colors": ["green", "white", "red"], "ediblePortions": ["roots", "stalks"]}, "beets": {"colors": ["purple", "red", "gold", "white", "pink"], "ediblePortions": ["roots", "stems", "leaves"]}, "artichokes": {"colors": ["green", "purple", "red", "black"], "ediblePortions": ["hearts", "stems", "leaves"]}}}"#
        ),
        row("foo[*]", .array([.string("one val"), .string("two val")]), #"{"foo": {"one": "one val", "two": "two val"}}"#),
        row(
            "toJson(input.*.foo)", .string("[\n  32,\n  42,\n  -10,\n  0,\n  2,\n  17\n]"),
            #"{"input": {"test": {"foo": 32}, "test2": {"foo": 42}, "test3": {"foo": -10}, "test4": {"foo": 0}, "test5": {"foo": 2}, "test6": {"foo": 17}}}"#
        ),
        row(
            "contains(github.event.issue.labels.*.name, 'bug')", .bool(true),
            #"{"github": {"event": {"issue": {"labels": [{"name": "bug"}, {"name": "help wanted"}]}}}}"#),
        row(
            "join(github.event.issue.labels.*.name, ', ')", .string("bug, enhancement, help wanted"),
            #"{"github": {"event": {"issue": {"labels": [{"name": "bug"}, {"name": "enhancement"}, {"name": "help wanted"}]}}}}"#),
        row("foo.*", .array([]), #"{"foo": "text"}"#),
    ]

    // docs "contains" (examples); ls contains.json.
    static let contains: [ExpressionCase] = [
        row("contains('Hello world', 'llo')", .bool(true)),
        row(#"contains(fromJSON('["push", "pull_request"]'), github.event_name)"#, .bool(true), #"{"github": {"event_name": "push"}}"#),
        row(
            #"contains(fromJSON('["push", "pull_request"]'), github.event_name)"#, .bool(false), #"{"github": {"event_name": "schedule"}}"#),
        row("contains('abcdef', 'cde')", .bool(true)),
        row("contains('abCdEf', 'cDe')", .bool(true)),
        row("contains('abcdef', '')", .bool(true)),
        row("contains('1234', 23)", .bool(true)),
        row("contains('true', true)", .bool(true)),
        row("contains('false', false)", .bool(true)),
        row("contains('asdf', null)", .bool(true)),
        row("contains('true', false)", .bool(false)),
        row("contains(test, 'hello')", .bool(true), #"{"test": ["hello"]}"#),
        row("contains(test, 'world')", .bool(true), #"{"test": ["hello", "world"]}"#),
        row("contains(test, 'asdf')", .bool(false), #"{"test": ["hello"]}"#),
    ]

    // docs "startsWith", "endsWith" (examples); ls endsWith.json.
    static let affixes: [ExpressionCase] = [
        row("startsWith('Hello world', 'He')", .bool(true)),
        row("startsWith('Hello world', 'hello')", .bool(true)),
        row("startsWith('Hello world', 'world')", .bool(false)),
        row("endsWith('Hello world', 'ld')", .bool(true)),
        row("endsWith('abcdef', 'def')", .bool(true)),
        row("endsWith('abcdef', 'de')", .bool(false)),
        row("endsWith('abcdef', '')", .bool(true)),
        row("endsWith('1234', 34)", .bool(true)),
        row("endsWith('1234', 23)", .bool(false)),
        row("endsWith('true', true)", .bool(true)),
        row("endsWith('asdf', null)", .bool(true)),
        row("endsWith('asdf_ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')", .bool(true)),
        row("endsWith('asdf_ς', 'Σ')", .bool(true)),
        row("endsWith('asdf_Ü', 'ü')", .bool(true)),
        row("endsWith('asdf_i', 'İ')", .bool(false)),
        row("endsWith('asdf_ı', 'I')", .bool(false)),
    ]

    // docs "format" (examples); ls format.json; ls coerce_string.json (docs "Functions": casting
    // to a string — Null '', Boolean 'true'/'false', Number decimal, exponential for large).
    static let format: [ExpressionCase] = [
        row("format('Hello {0} {1} {2}', 'Mona', 'the', 'Octocat')", .string("Hello Mona the Octocat")),
        row("format('{{Hello {0} {1} {2}!}}', 'Mona', 'the', 'Octocat')", .string("{Hello Mona the Octocat!}")),
        row("format(null)", .string("")),
        row("format('', 'some arg')", .string("")),
        row("format('123{0}456{0}789', 'abc')", .string("123abc456abc789")),
        row("format('123{0}456{1}789', 'abc', 'def')", .string("123abc456def789")),
        row("format('{{0}}', 'abc')", .string("{0}")),
        row("format('{{{{0}}}}', 'abc')", .string("{{0}}")),
        row("format('}}{{}}', 'abc')", .string("}{}")),
        row("format('{0}', null)", .string("")),
        row("format('{0}', true)", .string("true")),
        row("format('{0}', false)", .string("false")),
        row("format('{0}', .5)", .string("0.5")),
        row("format('{0}', -2.0)", .string("-2")),
        row("format('{0}', -0)", .string("0")),
        row("format('{0}', -0.0)", .string("0")),
        row("format('{0}', 123456.789)", .string("123456.789")),
        row("format('{0}', -123456.789)", .string("-123456.789")),
        row("format('{0}', 0.84551240822557006)", .string("0.84551240822557")),
        row("format('{0}', 1.9)", .string("1.9")),
        row("format('{0}', 0xFF)", .string("255")),
        row("format('{0}', 0o10)", .string("8")),
        row("format('{0}', 1.2e2)", .string("120")),
        row("format('{0}', 1.2e-2)", .string("0.012")),
        row("format('{0}', Infinity)", .string("Infinity")),
        row("format('{0}', -Infinity)", .string("-Infinity")),
        row("format('{0}', NaN)", .string("NaN")),
        row("format('{0}', context)", .string("Array"), #"{"context": [1, 2, 3]}"#),
        row("format('{0}', context)", .string("Object"), #"{"context": {"a": 1}}"#),
    ]

    // docs "join" (example); ls join.json.
    static let join: [ExpressionCase] = [
        row("join(null)", .string("")),
        row("join(true)", .string("true")),
        row("join(123.456)", .string("123.456")),
        row("join('abc')", .string("abc")),
        row("join(myArray)", .string(""), #"{"myArray": []}"#),
        row("join(myObject)", .string(""), #"{"myObject": {"key1": "value1"}}"#),
        row(
            "join(myArray)", .string(",true,123.456,abc,Array,Array,Object,Object"),
            #"{"myArray": [null, true, 123.456, "abc", [], ["def"], {}, {"key1": "value1"}]}"#),
        row("join(myArray, null)", .string("_ITEM-1__ITEM-2__ITEM-3_"), #"{"myArray": ["_ITEM-1_", "_ITEM-2_", "_ITEM-3_"]}"#),
        row("join(myArray, true)", .string("_ITEM-1_true_ITEM-2_true_ITEM-3_"), #"{"myArray": ["_ITEM-1_", "_ITEM-2_", "_ITEM-3_"]}"#),
        row("join(myArray, ' | ')", .string("_ITEM-1_ | _ITEM-2_ | _ITEM-3_"), #"{"myArray": ["_ITEM-1_", "_ITEM-2_", "_ITEM-3_"]}"#),
        row(
            "join(myArray, mySeparator)", .string("_ITEM-1_,_ITEM-2_,_ITEM-3_"),
            #"{"myArray": ["_ITEM-1_", "_ITEM-2_", "_ITEM-3_"], "mySeparator": []}"#),
    ]

    // docs "toJSON" (`{ "status": "success" }`, pretty-printed); ls tojson.json. Object members
    // are written in key order (GitHub keeps insertion order), so the object rows use keys that
    // are already sorted; their text follows the writer of actions/runner ToJson.cs.
    static let toJSON: [ExpressionCase] = [
        row("toJSON(job)", .string("{\n  \"status\": \"success\"\n}"), #"{"job": {"status": "success"}}"#),
        row("tojson(null)", .string("null")),
        row("tojson(false)", .string("false")),
        row("tojson(-0)", .string("0")),
        row("tojson(-123456789)", .string("-123456789")),
        row("tojson(1234.5)", .string("1234.5")),
        row("tojson('')", .string("\"\"")),
        row("tojson('abc''def')", .string("\"abc'def\"")),
        row(#"tojson('abc\"def')"#, .string(#""abc\\\"def""#)),
        row("tojson(emptyArray)", .string("[]"), #"{"emptyArray": []}"#),
        row("tojson(emptyObject)", .string("{}"), #"{"emptyObject": {}}"#),
        row("tojson(myArray)", .string("[\n  1,\n  2,\n  3\n]"), #"{"myArray": [1, 2, 3]}"#),
        row(
            "tojson(myArray)",
            .string(
                "[\n  [\n    1,\n    2,\n    3\n  ],\n  [\n    \"abc\",\n    \"def\",\n    \"ghi\"\n  ],\n  [\n    true,\n    false,\n    null,\n    [],\n    {}\n  ]\n]"
            ),
            #"{"myArray": [[1, 2, 3], ["abc", "def", "ghi"], [true, false, null, [], {}]]}"#),
        row(
            "tojson(myObject)", .string("{\n  \"a-one\": {\n    \"one\": 1,\n    \"two\": 2\n  },\n  \"b-two\": [],\n  \"c-three\": {}\n}"),
            #"{"myObject": {"a-one": {"one": 1, "two": 2}, "b-two": [], "c-three": {}}}"#),
    ]

    // docs "fromJSON" (both examples); ls fromJSON.json.
    static let fromJSON: [ExpressionCase] = [
        row("fromJSON('null')", .null),
        row("fromJSON('true')", .bool(true)),
        row("fromJSON('-0')", .number(-0.0)),
        row("fromJSON('123456789')", .number(123456789)),
        row("fromJSON('-1234.5')", .number(-1234.5)),
        row(#"fromJSON('"abc''def"')"#, .string("abc'def")),
        row(#"fromJSON('"abc\\\"def"')"#, .string(#"abc\"def"#)),
        row("fromJSON('[1, 2, 3]')", .array([.number(1), .number(2), .number(3)])),
        row(#"fromJSON('{"one": "value one", "two": "value two"}')"#, .object(["one": .string("value one"), "two": .string("value two")])),
        row(
            "fromJSON(needs.job1.outputs.matrix)",
            .object([
                "include": .array([
                    .object(["project": .string("foo"), "config": .string("Debug")]),
                    .object(["project": .string("bar"), "config": .string("Release")]),
                ])
            ]),
            #"{"needs": {"job1": {"outputs": {"matrix": "{\"include\":[{\"project\":\"foo\",\"config\":\"Debug\"},{\"project\":\"bar\",\"config\":\"Release\"}]}"}}}}"#
        ),
        row("fromJSON(env.continue)", .bool(true), #"{"env": {"continue": "true"}}"#),
        row("fromJSON(env.time)", .number(3), #"{"env": {"time": "3"}}"#),
        row("fromJSON(env.time) > 2", .bool(true), #"{"env": {"time": "3"}}"#),
    ]

    // docs "Status check functions" (success, always, cancelled, failure; "failure with
    // conditions"); the three outcomes are exclusive as in GitHub's runner.
    static let status: [ExpressionCase] = [
        row("success()", .bool(true), status: ok),
        row("success()", .bool(false), status: failed),
        row("success()", .bool(false), status: cancelled),
        row("failure()", .bool(true), status: failed),
        row("failure()", .bool(false), status: ok),
        row("always()", .bool(true), status: cancelled),
        row("cancelled()", .bool(true), status: cancelled),
        row("!cancelled()", .bool(true), status: failed),
        row(
            "failure() && steps.demo.conclusion == 'failure'", .bool(true), #"{"steps": {"demo": {"conclusion": "failure"}}}"#,
            status: failed),
        row("SUCCESS()", .bool(true), status: ok),
    ]

    static let all =
        literals + truthiness + precedence + logical + equality + relational + caseInsensitive
        + properties + indexes + filters + contains + affixes + format + join + toJSON + fromJSON + status
}

@Suite("Expression evaluation")
struct ExpressionEvaluationTests {
    @Test("the table has at least 100 documented cases")
    func tableSize() {
        #expect(ExpressionTable.all.count >= 100)
    }

    @Test("evaluates as GitHub documents", arguments: ExpressionTable.all)
    func evaluates(_ row: ExpressionCase) throws {
        let value = try Expression.parse(row.expression).evaluate(in: row.context)
        #expect(same(value, row.expected), "\(row.expression) gave \(value)")
    }
}
