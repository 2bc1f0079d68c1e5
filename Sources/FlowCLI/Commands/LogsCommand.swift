import ArgumentParser
import FlowCore
import FlowStore
import Foundation

/// `flow logs RUN [STEP] [--follow]`.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a run's recorded log lines (bytes exactly as written), optionally following until the run ends.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Run id (a unique prefix is enough).") var run: String
    @Argument(help: "Only this step run.") var step: String?
    @Flag(name: .shortAndLong, help: "Keep printing new lines until the run finishes.") var follow = false

    func run() async throws {
        let store = try global.openStore()
        let console = Console()
        do {
            guard let r = try store.run(run) else { throw CLIFailure(.notFound, "error: no run '\(run)'\n") }
            if let step, try !store.stepRuns(r.id).contains(where: { $0.stepID.rawValue == step }) {
                throw CLIFailure(.notFound, "error: run \(r.id) has no step '\(step)'\n")
            }
            var last: Int64 = 0
            let prefix = step == nil
            while true {
                let lines = try store.logs(r.id, step: step.map { StepID($0) }, after: last)
                var out: [UInt8] = []
                var open: Set<StepID> = []
                for line in lines {
                    if prefix && !open.contains(line.stepID) { out += Array("\(line.stepID) | ".utf8) }
                    out += line.bytes
                    if line.continued {
                        open.insert(line.stepID)
                    } else {
                        open.remove(line.stepID)
                        out.append(10)
                    }
                    last = line.sequence
                }
                if !out.isEmpty { console.out(bytes: out) }
                if lines.count == 10_000 { continue }
                guard follow, let current = try store.run(r.id.rawValue), !current.status.isFinal else { break }
                // Following polls the database (another process writes it); 200 ms keeps the
                // delay unnoticeable at no measurable cost.
                try await Task.sleep(for: .milliseconds(200))
            }
        } catch let e as StoreError { throw CLIFailure(.ioError, e.message) }
    }
}
