import FlowCore
import Yams

extension SpecDecoder {
    /// Checks every `${{ }}` site once the workflow and its graph are known. A hook until
    /// FlowCore's expression parser lands.
    mutating func checkTemplates(_ workflow: Workflow, graph: WorkflowGraph) {
    }
}
