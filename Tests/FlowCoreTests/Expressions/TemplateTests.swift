import FlowCore
import Testing

@Suite("Templates")
struct TemplateTests {
    let context = ExpressionContext(values: [
        "params": .object([
            "name": .string("Mona"),
            "count": .number(15),
            "list": .array([.string("a"), .number(1)]),
            "flag": .bool(true),
            "nothing": .null,
        ]),
        "steps": .object(["build": .object(["outputs": .object(["digest": .string("sha256:ab")])])]),
    ])

    struct RenderCase: Sendable, CustomTestStringConvertible {
        var template: String
        var expected: String
        var testDescription: String { template }
    }

    // Conversions of docs "Functions" (null → '', booleans, numbers in decimal, exponential when
    // large); arrays and objects as toJSON writes them (docs "toJSON").
    static let renders: [RenderCase] = [
        RenderCase(template: "Hello ${{ params.name }}!", expected: "Hello Mona!"),
        RenderCase(template: "no expressions", expected: "no expressions"),
        RenderCase(template: "", expected: ""),
        RenderCase(template: "${{ params.count }}", expected: "15"),
        RenderCase(template: "n=${{ 1.5e1 }}, big=${{ 1e15 }}, small=${{ 0.00001 }}", expected: "n=15, big=1E+15, small=1E-05"),
        RenderCase(template: "[${{ params.nothing }}]", expected: "[]"),
        RenderCase(template: "${{ params.flag }}/${{ !params.flag }}", expected: "true/false"),
        RenderCase(template: "${{ params.list }}", expected: "[\n  \"a\",\n  1\n]"),
        RenderCase(template: "${{ params.missing }}|", expected: "|"),
        RenderCase(template: "${{ format('}}') }}", expected: "}"),
        RenderCase(template: "${{ '${{' }} literal", expected: "${{ literal"),
        RenderCase(template: "a ${{ 1 }}${{ 2 }} b", expected: "a 12 b"),
        RenderCase(template: "$ { { $} ${ {", expected: "$ { { $} ${ {"),
        RenderCase(template: "docs-${{ steps.build.outputs.digest }}", expected: "docs-sha256:ab"),
        RenderCase(template: "${{\nparams.name\n}}", expected: "Mona"),
    ]

    @Test("renders expressions into text", arguments: renders)
    func render(_ row: RenderCase) throws {
        #expect(try Template.parse(row.template).render(in: context) == row.expected)
    }

    @Test("a lone expression keeps its type; anything more is a string")
    func evaluateKeepsType() throws {
        #expect(try Template.parse("${{ fromJSON('[1]') }}").evaluate(in: context) == .array([.number(1)]))
        #expect(try Template.parse("${{ params.count }}").evaluate(in: context) == .number(15))
        #expect(try Template.parse(" ${{ params.count }}").evaluate(in: context) == .string(" 15"))
        #expect(try Template.parse("${{ 1 }}${{ 2 }}").evaluate(in: context) == .string("12"))
        #expect(try Template.parse("plain").evaluate(in: context) == .string("plain"))
        #expect(try Template.parse("").evaluate(in: context) == .string(""))
    }

    @Test("splits text into literal and expression segments")
    func segments() throws {
        let template = try Template.parse("a ${{ x }} b")
        #expect(
            template.segments == [
                .literal("a "),
                .expression(try Expression.parse(" x "), offset: 2, length: 8),
                .literal(" b"),
            ])
        #expect(!template.isLiteral)
        #expect(try Template.parse("a $ {{ b").isLiteral)
    }

    @Test("references carry offsets into the whole template")
    func references() throws {
        // "a ${{ " is 6 scalars; the path text "steps.build.outputs.digest" is 26.
        let template = try Template.parse("a ${{ steps.build.outputs.digest }} b ${{ matrix['os'] }}")
        #expect(
            template.references == [
                ExpressionReference(path: ["steps", "build", "outputs", "digest"], offset: 6, length: 26),
                ExpressionReference(path: ["matrix", "os"], offset: 42, length: 12),
            ])
    }

    @Test("an unterminated ${{ is an error at the ${{")
    func unterminated() {
        #expect(throws: ExpressionError("unterminated '${{'; expected '}}' to close it", offset: 2, length: 3)) {
            try Template.parse("x ${{ params.name")
        }
    }

    @Test("an empty ${{ }} is an error over the whole of it")
    func empty() {
        #expect(throws: ExpressionError("empty expression '${{ }}'", offset: 4, length: 6)) {
            try Template.parse("abc ${{ }} def")
        }
    }

    @Test("errors inside an expression point into the whole template")
    func shiftedErrors() throws {
        // "ab " (3) + "${{" (3) + " 1 == " (6): the end of the expression source is at 12.
        #expect(throws: ExpressionError("unexpected end of expression", offset: 12, length: 0)) {
            try Template.parse("ab ${{ 1 == }}")
        }
        // The name 'nope' starts after "ab " (3), "${{" (3) and " " (1).
        let template = try Template.parse("ab ${{ nope }}")
        #expect(throws: ExpressionError("unknown context 'nope'", offset: 7, length: 4)) {
            try template.render(in: ExpressionContext(values: [:]))
        }
    }
}

@Suite("Expression references")
struct ExpressionReferenceTests {
    struct ReferenceCase: Sendable, CustomTestStringConvertible {
        var expression: String
        var references: [ExpressionReference]
        var testDescription: String { expression }
    }

    // Offsets and lengths counted by hand (0-based Unicode scalars).
    static let cases: [ReferenceCase] = [
        ReferenceCase(
            expression: "steps.build.outputs.digest",
            references: [
                ExpressionReference(path: ["steps", "build", "outputs", "digest"], offset: 0, length: 26)
            ]),
        ReferenceCase(
            expression: "params.source == 'x' && matrix.os",
            references: [
                ExpressionReference(path: ["params", "source"], offset: 0, length: 13),
                ExpressionReference(path: ["matrix", "os"], offset: 24, length: 9),
            ]),
        ReferenceCase(
            expression: "steps['build'].outputs[0]",
            references: [
                ExpressionReference(path: ["steps", "build", "outputs", "0"], offset: 0, length: 25)
            ]),
        ReferenceCase(
            expression: "matrix[params.key].name",
            references: [
                ExpressionReference(path: ["matrix"], offset: 0, length: 6),
                ExpressionReference(path: ["params", "key"], offset: 7, length: 10),
            ]),
        ReferenceCase(
            expression: "join(github.event.issue.labels.*.name, ', ')",
            references: [
                ExpressionReference(path: ["github", "event", "issue", "labels"], offset: 5, length: 25)
            ]),
        ReferenceCase(
            expression: "fromJSON(env.cfg).a",
            references: [
                ExpressionReference(path: ["env", "cfg"], offset: 9, length: 7)
            ]),
        ReferenceCase(expression: "success() && 1 == 1", references: []),
        ReferenceCase(
            expression: "inputs.my-name",
            references: [
                ExpressionReference(path: ["inputs", "my-name"], offset: 0, length: 14)
            ]),
    ]

    @Test("lists the context paths an expression reads", arguments: cases)
    func references(_ row: ReferenceCase) throws {
        #expect(try Expression.parse(row.expression).references == row.references)
    }

    @Test("knows whether a status function is called")
    func statusFunction() throws {
        #expect(try Expression.parse("failure() && steps.demo.conclusion == 'failure'").callsStatusFunction)
        #expect(try Expression.parse("!CANCELLED()").callsStatusFunction)
        #expect(try !Expression.parse("steps.a.outputs.x == 'always()'").callsStatusFunction)
    }
}

@Suite("Conditions")
struct ConditionTests {
    let ok = ExpressionContext.Status(anyFailed: false, cancelled: false)
    let failed = ExpressionContext.Status(anyFailed: true, cancelled: false)
    let cancelled = ExpressionContext.Status(anyFailed: false, cancelled: true)
    let values: [String: ExpressionValue] = [
        "steps": .object(["a": .object(["outputs": .object(["ok": .string("yes")])]), "demo": .object(["conclusion": .string("failure")])])
    ]

    func holds(_ text: String, _ status: ExpressionContext.Status) throws -> Bool {
        try Condition.evaluate(text, in: ExpressionContext(values: values, status: status))
    }

    // docs "Status check functions": "A default status check of success() is applied unless you
    // include one of these functions"; the examples `${{ failure() }}`, `${{ always() }}`,
    // `${{ !cancelled() }}` and "failure with conditions".
    @Test("applies GitHub's implicit success() unless a status function is called")
    func implicitSuccess() throws {
        #expect(try holds("steps.a.outputs.ok == 'yes'", ok))
        #expect(try !holds("steps.a.outputs.ok == 'yes'", failed))
        #expect(try !holds("${{ steps.a.outputs.ok == 'yes' }}", cancelled))
        #expect(try holds("${{ failure() }}", failed))
        #expect(try !holds("${{ failure() }}", ok))
        #expect(try holds("${{ always() }}", cancelled))
        #expect(try holds("${{ !cancelled() }}", failed))
        #expect(try holds("${{ failure() && steps.demo.conclusion == 'failure' }}", failed))
        #expect(try !holds("steps.a.outputs.missing", ok))
        #expect(try holds("  ${{ success() }}\n", ok))
    }

    // "${{ a.b }}" is 10 scalars; the stray text " == 'x'" is the next 7.
    @Test("rejects text mixed with ${{ }}")
    func mixedText() {
        #expect(
            throws: ExpressionError(
                "an 'if:' condition must be one expression: write it without '${{ }}', or put all of it inside", offset: 10, length: 7)
        ) {
            try Condition.parse("${{ a.b }} == 'x'")
        }
    }

    @Test("gives references and errors with offsets into the condition text")
    func offsets() throws {
        #expect(
            try Condition.references(in: "${{ steps.a.outputs.ok }}") == [
                ExpressionReference(path: ["steps", "a", "outputs", "ok"], offset: 4, length: 18)
            ])
        #expect(throws: ExpressionError("unknown context 'stepz'; did you mean 'steps'?", offset: 4, length: 5)) {
            try Condition.evaluate("${{ stepz.a }}", in: ExpressionContext(values: values))
        }
    }
}
