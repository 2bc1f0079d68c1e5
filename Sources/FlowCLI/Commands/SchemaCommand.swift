import ArgumentParser
import FlowEngine
import FlowSpec
import FlowSteps

/// `flow schema`: the workflow JSON Schema with every built-in kind's `with:` inputs
/// (identical to docs/flow.schema.json).
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "Print the workflow language's JSON Schema (for editors and CI).")

    func run() async throws {
        let json = WorkflowSchema.json(catalog: StepExecutorSet(BuiltinKinds.executors()).catalog)
        Console().out(json.hasSuffix("\n") ? json : json + "\n")
    }
}
