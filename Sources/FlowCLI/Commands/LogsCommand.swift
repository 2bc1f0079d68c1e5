import ArgumentParser
import FlowCore
import FlowRuntime
import FlowStore
import Foundation

/// `flow logs RUN [STEP] [--follow]`.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a run's recorded log lines (bytes exactly as written), optionally following until the run ends.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Run id (a unique prefix is enough).") var run: String
    @Argument(help: "Only this step run (a matrix step's id alone means all its combinations).") var step: String?
    @Flag(name: .shortAndLong, help: "Keep printing new lines until the run finishes.") var follow = false

    func run() async throws {
        let store = try global.openStore()
        let console = Console()
        do {
            let r = try RunLookup.find(run, in: store)
            let selected = try step.map { step throws -> Set<StepID> in
                try Self.stepRuns(named: step, among: store.stepRuns(r.id).map(\.stepID), run: r.id)
            }
            var last: Int64 = 0
            let prefix = selected.map { $0.count > 1 } ?? true
            // One step run: the store filters; several (a matrix step): filter here, in log order.
            let only = selected.flatMap { $0.count == 1 ? $0.first : nil }
            while true {
                var lines = try store.logs(r.id, step: only, after: last)
                let count = lines.count
                let end = lines.last?.sequence
                if let selected, only == nil { lines.removeAll { !selected.contains($0.stepID) } }
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
                }
                if let end { last = end }
                if !out.isEmpty { console.out(bytes: out) }
                if count == 10_000 { continue }
                guard follow, let current = try store.run(r.id.rawValue), !current.status.isFinal else { break }
                // Following polls the database (another process writes it); 200 ms keeps the
                // delay unnoticeable at no measurable cost.
                try await Task.sleep(for: .milliseconds(200))
            }
        } catch let e as StoreError {
            throw CLIFailure(.ioError, e.message)
        } catch let e as RuntimeError {
            throw CLIFailure(e)
        }
    }

    /// The step runs `name` selects: the one with that id, or every combination of the matrix
    /// step with that id (`t` → `t[a]`, `t[b]`).
    /// - Throws: `CLIFailure(.notFound)` listing the run's step run ids when none matches.
    static func stepRuns(named name: String, among ids: [StepID], run: RunID) throws(CLIFailure) -> Set<StepID> {
        if ids.contains(StepID(name)) { return [StepID(name)] }
        let combinations = ids.filter { $0.rawValue.hasPrefix(name + "[") }
        if !combinations.isEmpty { return Set(combinations) }
        throw CLIFailure(
            .notFound, "error: run \(run) has no step '\(name)'; its step runs: \(ids.map(\.rawValue).joined(separator: ", "))\n")
    }
}
