import ArgumentParser
import FlowCore
import FlowRuntime
import Foundation

/// `flow list`: the project's workflows.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the workflows in Workflows/ and Pipelines/ with their schedules.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let project = global.projectValue
        let launcher = RunLauncher.standard(project: project, store: nil)
        var rows: [[String]] = [["NAME", "FILE", "STEPS", "SCHEDULE", "DESCRIPTION"]]
        for path in project.workflowFiles() {
            do {
                let (w, _, _) = try launcher.load(path)
                let schedule = w.schedules.map { "\($0.cron.value) \($0.timezone)" + ($0.paused ? " (paused)" : "") }.joined(
                    separator: "; ")
                rows.append([
                    w.name.rawValue, project.display(path), String(w.steps.count), schedule.isEmpty ? "-" : schedule, w.description ?? "",
                ])
            } catch {
                rows.append(["?", project.display(path), "-", "-", "INVALID: run flow validate \(project.display(path))"])
            }
        }
        Console().out(Table.render(rows))
    }
}

/// Plain text tables: columns padded to their widest cell, two spaces apart.
enum Table {
    static func render(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = [Int](repeating: 0, count: first.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }.joined()
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
