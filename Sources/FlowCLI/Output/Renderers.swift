import FlowCore
import FlowRuntime
import Foundation

/// Shows a run as it happens; `finish` prints the closing summary.
protocol RunRenderer: RunObserver {
    func finish(status: RunStatus)
}

enum Renderers {
    /// JSON lines for `--output json`; GitHub Actions groups and summary when
    /// `GITHUB_ACTIONS=true`; a live view on a terminal; prefixed lines otherwise.
    static func make(format: OutputFormat, console: Console, environment: [String: String], run: PreparedRun) -> any RunRenderer {
        if format == .json { return JSONRenderer(console: console) }
        if environment["GITHUB_ACTIONS"] == "true" {
            return GitHubRenderer(console: console, summaryPath: environment["GITHUB_STEP_SUMMARY"], run: run)
        }
        if console.isTerminal { return LiveRenderer(console: console, run: run) }
        return PlainRenderer(console: console, run: run)
    }

    /// `1.23s`, `2m03s`.
    /// Integer arithmetic, not `String(format:)`: it is called twice per step.
    static func elapsed(_ seconds: Double) -> String {
        let seconds = seconds.isFinite ? max(0, seconds) : 0
        func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if seconds < 60 {
            let hundredths = Int((seconds * 100).rounded())
            return "\(hundredths / 100).\(twoDigits(hundredths % 100))s"
        }
        let s = Int(seconds.rounded())
        return "\(s / 60)m\(twoDigits(s % 60))s"
    }

    /// `exit 1`, `signal 9`, `timed out`, the reason of a skip.
    static func detail(_ outcome: StepOutcome) -> String {
        switch outcome {
        case .succeeded: return ""
        case .failed(let exit, let signal, let reason):
            if let reason { return reason }
            if let signal { return "killed by signal \(signal)" }
            return "exit \(exit.map(String.init) ?? "?")"
        case .timedOut: return "timed out"
        case .cancelled: return "cancelled"
        case .skipped(let reason), .interrupted(let reason): return reason
        }
    }
}
