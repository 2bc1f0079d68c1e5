import FlowCore
import FlowRuntime
import Foundation
import Synchronization

/// Prefixed lines for logs and pipes: `step │ output`, a line when each step starts and ends,
/// and a closing summary. With `live`, a status line (running steps, counts, elapsed time) is
/// kept at the bottom of the terminal and redrawn in place.
final class PlainRenderer: RunRenderer, Sendable {
    let console: Console
    let state = Mutex(RunTally())
    let width: Int
    let live: Bool

    convenience init(console: Console, run: PreparedRun, live: Bool = false) {
        self.init(console: console, width: min(24, run.request.workflow.steps.map(\.id.rawValue.count).max() ?? 8), live: live)
    }

    /// Step ids padded or cut to `width` characters in the prefixes.
    init(console: Console, width: Int, live: Bool = false) {
        self.console = console
        self.live = live
        self.width = width
    }

    func handle(_ event: RunEvent) {
        var text: String?
        var bytes: [UInt8]?
        state.withLock { tally in
            tally.record(event)
            switch event {
            case .stepStarted(let id, let attempt, _, _):
                text = console.paint("▶ \(id)", "36") + (attempt > 1 ? " (attempt \(attempt))" : "") + "\n"
            case .stepOutput(let id, _, let stream, let line, let continued, _):
                let key = "\(id)/\(stream.rawValue)"
                var out: [UInt8] = []
                if tally.openLine != key {
                    // Another line is half written: end it here; its next piece starts a new
                    // prefixed line, so pieces of two steps are never glued together.
                    if tally.openLine != nil { out.append(10) }
                    if let prefix = tally.prefixes[key] {
                        out += prefix
                    } else {
                        let name =
                            id.rawValue.count > width
                            ? String(id.rawValue.prefix(width - 1)) + "…"
                            : id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
                        let bar = stream == .stderr ? "┃" : stream == .system ? "·" : "│"
                        let prefix = Array(console.paint("\(name) \(bar) ", "2").utf8)
                        tally.prefixes[key] = prefix
                        out += prefix
                    }
                }
                out += line
                if continued {
                    tally.openLine = key
                } else {
                    tally.openLine = nil
                    out.append(10)
                }
                bytes = out
            case .attemptFinished(let id, let attempt, let outcome, true, _):
                text =
                    console.paint("↻ \(id): attempt \(attempt) \(outcome.status.rawValue) (\(Renderers.detail(outcome))), retrying", "33")
                    + "\n"
            case .stepFinished(let id, let outcome, let tolerated, _, _, _):
                let seconds = tally.finished.last?.seconds ?? 0
                let detail = Renderers.detail(outcome)
                var line = "\(outcome.mark) \(id) \(outcome.status.rawValue)"
                if !detail.isEmpty { line += ": \(detail)" }
                if case .skipped = outcome {} else { line += " (\(Renderers.elapsed(seconds)))" }
                if tolerated { line += " — continue-on-error" }
                let color = outcome.isSuccess ? "32" : (tolerated || outcome.status == .skipped) ? "33" : "31"
                text = console.paint(line, color) + "\n"
            default:
                break
            }
            if text != nil, tally.openLine != nil {
                tally.openLine = nil
                text = "\n" + text!
            }
        }
        if live { console.out(bytes: Array("\r\u{1B}[K".utf8)) }
        if let text { console.out(text) }
        if let bytes { console.out(bytes: bytes) }
        if live { drawStatus() }
    }

    /// Redraws the bottom status line (terminal only).
    func drawStatus() {
        let line = state.withLock { tally -> String in
            let running = tally.running.map(\.rawValue)
            let shown = running.prefix(4).joined(separator: ", ") + (running.count > 4 ? " +\(running.count - 4)" : "")
            return "\(tally.finished.count) done · running: \(shown.isEmpty ? "–" : shown) · \(Renderers.elapsed(tally.seconds()))"
        }
        console.out("\r\u{1B}[K" + console.paint(line, "2"))
    }

    func finish(status: RunStatus) {
        let (id, counts, seconds) = state.withLock { ($0.runID?.rawValue ?? "?", $0.counts, $0.seconds()) }
        if live { console.out("\r\u{1B}[K") }
        let color = status == .succeeded ? "32" : status == .cancelled ? "33" : "31"
        console.out(console.paint("run \(id) \(status.rawValue) in \(Renderers.elapsed(seconds)): \(counts)", color) + "\n")
    }
}

/// The terminal view: `PlainRenderer` with its live status line, redrawn on every event and
/// four times a second for the elapsed time.
final class LiveRenderer: RunRenderer, @unchecked Sendable {
    // @unchecked: `timer` is set once in init; DispatchSource's `cancel` is thread-safe.
    let plain: PlainRenderer
    let timer: any DispatchSourceTimer

    init(console: Console, run: PreparedRun) {
        let plain = PlainRenderer(console: console, run: run, live: true)
        self.plain = plain
        timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        timer.setEventHandler { plain.drawStatus() }
        timer.resume()
    }

    func handle(_ event: RunEvent) { plain.handle(event) }

    func finish(status: RunStatus) {
        timer.cancel()
        plain.finish(status: status)
    }
}
