import FlowCore
import FlowRuntime
import Foundation
import Synchronization

/// Output for GitHub Actions (`GITHUB_ACTIONS=true`): each step run's log in its own
/// `::group::` (printed when the step run ends, so concurrent steps never interleave), an
/// `::error` annotation for each failed step run, and a Markdown table of step runs appended
/// to `$GITHUB_STEP_SUMMARY`. Syntax: GitHub's "Workflow commands for GitHub Actions".
final class GitHubRenderer: RunRenderer, Sendable {
    struct State {
        var tally = RunTally()
        var buffers: [StepID: [UInt8]] = [:]
    }

    let console: Console
    let summaryPath: String?
    let workflow: String
    let file: String?
    let state = Mutex(State())

    init(console: Console, summaryPath: String?, run: PreparedRun) {
        self.console = console
        self.summaryPath = summaryPath
        self.workflow = run.request.workflow.name.rawValue
        self.file = run.record.workflowFile
    }

    func handle(_ event: RunEvent) {
        var text: [UInt8] = []
        state.withLock { s in
            s.tally.record(event)
            switch event {
            case .stepOutput(let id, _, _, let bytes, let continued, _):
                // A line starting with "::" would be taken as a workflow command: GitHub's
                // advice is to stop commands; we indent instead, which keeps the text.
                if bytes.starts(with: [58, 58]) { s.buffers[id, default: []].append(32) }
                s.buffers[id, default: []] += bytes
                if !continued { s.buffers[id, default: []].append(10) }
            case .attemptFinished(let id, let attempt, let outcome, true, _):
                s.buffers[id, default: []] += Array(
                    "flow: attempt \(attempt) \(outcome.status.rawValue) (\(Renderers.detail(outcome))), retrying\n".utf8)
            case .stepFinished(let id, let outcome, let tolerated, _, _, _):
                let seconds = s.tally.finished.last?.seconds ?? 0
                let detail = Renderers.detail(outcome)
                var title = "\(outcome.mark) \(id) \(outcome.status.rawValue)"
                if !detail.isEmpty { title += ": \(detail)" }
                title += " (\(Renderers.elapsed(seconds)))"
                text += Array("::group::\(GitHubAnnotations.escapeData(title))\n".utf8)
                text += s.buffers.removeValue(forKey: id) ?? []
                text += Array("::endgroup::\n".utf8)
                switch outcome {
                case .failed, .timedOut, .interrupted:
                    let kind = tolerated ? "warning" : "error"
                    var props = ["title=\(GitHubAnnotations.escapeProperty("step \(id) \(outcome.status.rawValue)"))"]
                    if let file { props.insert("file=\(GitHubAnnotations.escapeProperty(file))", at: 0) }
                    text += Array(
                        "::\(kind) \(props.joined(separator: ","))::\(GitHubAnnotations.escapeData("step '\(id)' of \(workflow) \(outcome.status.rawValue): \(detail)"))\n"
                            .utf8)
                default:
                    break
                }
            default:
                break
            }
        }
        if !text.isEmpty { console.out(bytes: text) }
    }

    func finish(status: RunStatus) {
        let tally = state.withLock { $0.tally }
        let id = tally.runID?.rawValue ?? "?"
        console.out("run \(id) \(status.rawValue) in \(Renderers.elapsed(tally.seconds())): \(tally.counts)\n")
        guard let summaryPath, !summaryPath.isEmpty else { return }
        var md = "### flow run `\(workflow)`: \(status.rawValue)\n\n"
        md += "Run `\(id)` · \(tally.counts) · \(Renderers.elapsed(tally.seconds()))\n\n"
        md += "| Step | Status | Attempts | Duration | Detail |\n|---|---|---|---|---|\n"
        for (step, outcome, tolerated, attempts, seconds) in tally.finished {
            let detail = Renderers.detail(outcome) + (tolerated ? " (continue-on-error)" : "")
            let duration = outcome.status == .skipped ? "" : Renderers.elapsed(seconds)
            md += "| `\(step)` | \(outcome.mark) \(outcome.status.rawValue) | \(attempts) | \(duration) | \(Self.cell(detail)) |\n"
        }
        md += "\n"
        guard
            let handle = FileHandle(forWritingAtPath: summaryPath)
                ?? {
                    _ = FileManager.default.createFile(atPath: summaryPath, contents: nil)
                    return FileHandle(forWritingAtPath: summaryPath)
                }()
        else { return }
        handle.seekToEndOfFile()
        handle.write(Data(md.utf8))
        try? handle.close()
    }

    /// Text safe inside a Markdown table cell.
    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
