import ArgumentParser
import FlowCore
import FlowRuntime
import Foundation

/// `flow graph NAME --format mermaid|dot|text`.
struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph", abstract: "Print a workflow's DAG as Mermaid, Graphviz dot, or text.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case mermaid, dot, text }

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Workflow name or file.") var workflow: String
    @Option(help: "mermaid, dot or text.") var format: Format = .text

    func run() async throws {
        let project = global.projectValue
        let launcher = RunLauncher.standard(project: project, store: nil)
        let w: Workflow
        do {
            w = try launcher.load(try project.resolve(workflow)).0
        } catch {
            throw CLIFailure(error)
        }
        Console().out(GraphFormat.render(w, format: format))
    }
}

/// Renders a workflow's DAG. Node labels show the kind (`run` or the `uses` kind).
enum GraphFormat {
    static func render(_ w: Workflow, format: GraphCommand.Format) -> String {
        let (graph, _) = WorkflowGraph.build(w.steps)
        let order = graph.topologicalOrder
        func kind(_ s: Step) -> String {
            if case .uses(let k, _) = s.action { return k.value }
            return "run"
        }
        switch format {
        case .mermaid:
            var out = "flowchart TD\n"
            for i in order { out += "  \(mermaidID(w.steps[i].id))[\"\(w.steps[i].id) (\(kind(w.steps[i])))\"]\n" }
            for i in order { for n in graph.needs[i] { out += "  \(mermaidID(w.steps[n].id)) --> \(mermaidID(w.steps[i].id))\n" } }
            return out
        case .dot:
            var out = "digraph \"\(w.name)\" {\n  rankdir=LR;\n  node [shape=box];\n"
            for i in order { out += "  \"\(w.steps[i].id)\" [label=\"\(w.steps[i].id)\\n\(kind(w.steps[i]))\"];\n" }
            for i in order { for n in graph.needs[i] { out += "  \"\(w.steps[n].id)\" -> \"\(w.steps[i].id)\";\n" } }
            return out + "}\n"
        case .text:
            var out = "\(w.name)\n"
            for i in order {
                let s = w.steps[i]
                let needs = graph.needs[i].map { w.steps[$0].id.rawValue }
                out += "  \(s.id) (\(kind(s)))" + (needs.isEmpty ? "" : " ← " + needs.joined(separator: ", ")) + "\n"
            }
            return out
        }
    }

    /// Mermaid node ids allow letters, digits and underscores.
    static func mermaidID(_ id: StepID) -> String {
        "s_" + id.rawValue.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }
}
