import FlowCore
import Foundation

/// What renderers keep about a run: when each step run started, how it ended, counts.
struct RunTally {
    var runID: RunID?
    var runStart: Date?
    var stepStart: [StepID: Date] = [:]
    var finished: [(StepID, StepOutcome, tolerated: Bool, attempts: Int, seconds: Double)] = []
    var running: [StepID] = []
    /// The step run and stream (`id/stream`) whose long line was last written in part,
    /// without its line break: the terminal's cursor is still on that line.
    var openLine: String?
    /// The rendered `step │ ` prefix per step run and stream.
    var prefixes: [String: [UInt8]] = [:]

    mutating func record(_ event: RunEvent) {
        switch event {
        case .runStarted(let id, let at):
            runID = id
            runStart = at
        case .stepStarted(let id, _, _, let at):
            if stepStart[id] == nil { stepStart[id] = at }
            if !running.contains(id) { running.append(id) }
        case .stepFinished(let id, let outcome, let tolerated, _, let attempts, let at):
            let seconds = stepStart[id].map { at.timeIntervalSince($0) } ?? 0
            finished.append((id, outcome, tolerated, attempts, seconds))
            running.removeAll { $0 == id }
        default:
            break
        }
    }

    func count(_ status: StepStatus) -> Int { finished.filter { $0.1.status == status }.count }

    /// `3 succeeded, 1 failed, 2 skipped` (only the non-zero counts).
    var counts: String {
        let parts = StepStatus.allCases.compactMap { s -> String? in
            let n = count(s)
            return n > 0 ? "\(n) \(s.rawValue.replacingOccurrences(of: "_", with: " "))" : nil
        }
        return parts.isEmpty ? "no steps" : parts.joined(separator: ", ")
    }

    func seconds(until date: Date = Date()) -> Double { runStart.map { date.timeIntervalSince($0) } ?? 0 }
}

extension StepOutcome {
    /// One-character mark for terminals and logs.
    var mark: String {
        switch self {
        case .succeeded: "✓"
        case .skipped: "○"
        case .cancelled: "⊘"
        default: "✗"
        }
    }
}
