import FlowCore
import FlowRuntime
import FlowSpec
import Foundation
import Testing

@Suite("RunPreparer: param defaults holding ${{ }}")
struct RunPreparerTests {
    static let workflow = """
        name: report
        params:
          dir:
            default: "${{ env.HOME }}/data"
          label:
            default: "${{ run.workflow }}-${{ run.trigger }}"
          workers:
            type: int
            default: "${{ env.WORKERS }}"
          region:
            enum: [eu, us]
            default: "${{ env.REGION }}"
        steps:
          a:
            run: echo
        """

    static func prepare(
        params: [String: String] = [:], environment: [String: String]
    ) throws -> [String: ExpressionValue] {
        let (workflow, _) = try WorkflowLoader(catalog: StepKindCatalog()).load(text: workflow, file: "report.yaml")
        let preparer = RunPreparer(
            project: Project(root: NSTemporaryDirectory(), environment: environment), environment: environment,
            now: { Date(timeIntervalSince1970: 1_800_000_000) })
        return try preparer.prepare(workflow, file: "report.yaml", params: params, trigger: .manual).0.params
    }

    @Test("a default is evaluated in the process environment and the run context, then typed")
    func evaluated() throws {
        let params = try Self.prepare(environment: ["HOME": "/home/ada", "WORKERS": "8", "REGION": "eu"])
        // Expected by reading the defaults: "${{ env.HOME }}/data" with HOME=/home/ada, and so on.
        #expect(params["dir"] == .string("/home/ada/data"))
        #expect(params["label"] == .string("report-manual"))
        #expect(params["workers"] == .number(8))
        #expect(params["region"] == .string("eu"))
    }

    @Test("a value given with -p wins, and the default is not evaluated")
    func givenWins() throws {
        // REGION=mars would fail the enum check if the default were evaluated.
        let params = try Self.prepare(
            params: ["dir": "/srv", "region": "us"], environment: ["HOME": "/h", "WORKERS": "2", "REGION": "mars"])
        #expect(params["dir"] == .string("/srv"))
        #expect(params["region"] == .string("us"))
    }

    @Test("a default that gives a bad value is an error naming the param, the default and the value")
    func badResult() {
        #expect {
            try Self.prepare(environment: ["HOME": "/h", "WORKERS": "many", "REGION": "mars"])
        } throws: { error in
            (error as? RuntimeError)?.message == """
                parameter 'workers': default '${{ env.WORKERS }}' evaluated to 'many': expected an integer, got 'many'
                parameter 'region': default '${{ env.REGION }}' evaluated to 'mars': 'mars' is not one of: eu, us
                """
        }
    }
}
