import ArgumentParser
import FlowCore
import FlowStore
import Foundation

/// `flow runs`: recent runs, newest first.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List recorded runs, newest first.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Only runs of this workflow.") var workflow: String?
    @Option(help: "Only runs with this status (queued, running, succeeded, failed, cancelled, interrupted).") var status: String?
    @Option(help: "At most this many runs.") var limit = 20
    @Option(help: "text or json.") var output: OutputFormat = .text

    func run() async throws {
        var statusValue: RunStatus?
        if let status {
            guard let s = RunStatus(rawValue: status) else {
                throw CLIFailure(
                    .usage,
                    "error: unknown status '\(status)'; expected one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))\n")
            }
            statusValue = s
        }
        let store = try global.openStore()
        let runs: [Run]
        do { runs = try store.runs(workflow: workflow.map { WorkflowName($0) }, status: statusValue, limit: limit) } catch {
            throw CLIFailure(.ioError, error.message)
        }
        if output == .json {
            Console().out(JSONText.encode(runs) + "\n")
            return
        }
        var rows = [["RUN", "WORKFLOW", "TRIGGER", "STATUS", "STARTED", "DURATION"]]
        for r in runs {
            let duration = r.startedAt.map { start in Renderers.elapsed((r.finishedAt ?? Date()).timeIntervalSince(start)) } ?? "-"
            rows.append([
                r.id.rawValue, r.workflow.rawValue, r.trigger.rawValue, r.status.rawValue, r.startedAt.map(Timestamp.format) ?? "-",
                duration,
            ])
        }
        Console().out(Table.render(rows))
    }
}

/// JSON for `--output json` (ISO 8601 dates, sorted keys).
enum JSONText {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(Timestamp.format(date))
        }
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "null"
    }
}
