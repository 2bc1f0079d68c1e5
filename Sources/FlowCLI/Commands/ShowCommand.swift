import ArgumentParser
import FlowCore
import FlowRuntime
import FlowStore
import Foundation

/// `flow show RUN`: one run with its step runs, attempts and outputs.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one run: its steps, attempts and outputs.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Run id (a unique prefix is enough).") var run: String
    @Option(help: "text or json.") var output: OutputFormat = .text

    struct Details: Encodable {
        var run: Run
        var steps: [StepRun]
        var attempts: [Attempt]
    }

    func run() async throws {
        let store = try global.openStore()
        let details: Details
        do {
            let r = try RunLookup.find(run, in: store)
            details = Details(run: r, steps: try store.stepRuns(r.id), attempts: try store.attempts(r.id))
        } catch let e as StoreError {
            throw CLIFailure(.ioError, e.message)
        } catch let e as RuntimeError {
            throw CLIFailure(e)
        }
        if output == .json {
            Console().out(JSONText.encode(details) + "\n")
            return
        }
        let r = details.run
        var out = "run       \(r.id)\nworkflow  \(r.workflow)\(r.workflowFile.map { " (\($0))" } ?? "")\n"
        out += "status    \(r.status.rawValue)\(r.reason.map { " — \($0)" } ?? "")\ntrigger   \(r.trigger.rawValue)\n"
        if let s = r.scheduledFor { out += "scheduled \(Timestamp.format(s))\n" }
        if let retry = r.retryOf { out += "retry of  \(retry)\n" }
        if let s = r.startedAt { out += "started   \(Timestamp.format(s))\n" }
        if let f = r.finishedAt, let s = r.startedAt {
            out += "finished  \(Timestamp.format(f)) (\(Renderers.elapsed(f.timeIntervalSince(s))))\n"
        }
        if !r.params.isEmpty {
            out += "params    " + r.params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + "\n"
        }
        out += "workspace \(r.workspace)\n\n"
        var rows = [["STEP", "STATUS", "ATTEMPTS", "EXIT", "DURATION", "DETAIL"]]
        for s in details.steps {
            let duration = s.startedAt.flatMap { start in s.finishedAt.map { Renderers.elapsed($0.timeIntervalSince(start)) } } ?? "-"
            let exit = s.exitCode.map(String.init) ?? s.signal.map { "sig \($0)" } ?? "-"
            var detail = s.reason ?? ""
            if let reused = s.reusedFrom { detail = "reused from \(reused)" }
            rows.append([s.stepID.rawValue, s.status.rawValue, String(s.attempts), exit, duration, detail])
        }
        out += Table.render(rows)
        let withOutputs = details.steps.filter { !$0.outputs.isEmpty }
        if !withOutputs.isEmpty {
            out += "\noutputs\n"
            for s in withOutputs {
                for (k, v) in s.outputs.sorted(by: { $0.key < $1.key }) { out += "  \(s.stepID).\(k) = \(v)\n" }
            }
        }
        Console().out(out)
    }
}
