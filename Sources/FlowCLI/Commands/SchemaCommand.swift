import ArgumentParser
import FlowSpec

/// `flow schema`: the workflow JSON Schema (identical to docs/flow.schema.json).
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schema", abstract: "Print the workflow language's JSON Schema (for editors and CI).")

    func run() async throws {
        Console().out(WorkflowSchema.json.hasSuffix("\n") ? WorkflowSchema.json : WorkflowSchema.json + "\n")
    }
}
