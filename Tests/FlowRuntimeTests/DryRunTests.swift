import FlowCore
import FlowEngine
import Testing

@testable import FlowRuntime

@Suite("DryRun: with: values")
struct DryRunTests {
    @Test("nested lists and mappings are resolved at every depth and printed as block YAML")
    func nestedInputs() {
        let values: [String: ExpressionValue] = ["params": .object(["n": .number(3), "site": .string("example.org")])]
        let input: ExpressionValue = .object([
            "hosts": .array([.string("a.${{ params.site }}"), .array([.string("${{ params.n }}"), .number(2)])]),
            "opts": .object(["retry": .object(["count": .string("${{ params.n }}")]), "empty": .array([])]),
            "flags": .array([.object(["on": .string("true"), "name": .string("x: y")])]),
        ])
        let resolved = DryRun.resolve(input, values)
        // Written by hand as block YAML (keys sorted, two spaces per level): a single
        // ${{ params.n }} keeps its number type, so it prints unquoted; the strings "true" and
        // "x: y" would read as a boolean and a mapping, so they are double-quoted.
        #expect(
            DryRun.yaml("with", resolved, masker: SecretMasker(secrets: []), indent: "")
                == """
                with:
                  flags:
                    - name: "x: y"
                      on: "true"
                  hosts:
                    - a.example.org
                    - - 3
                      - 2
                  opts:
                    empty: []
                    retry:
                      count: 3

                """)
    }
}
