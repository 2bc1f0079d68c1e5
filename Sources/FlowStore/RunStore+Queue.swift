public import FlowCore
public import Foundation
import GRDB

extension RunStore {
    /// Cancels a run that is still `queued` (recorded, never started): the run and its pending
    /// step runs become `cancelled` with `reason`.
    /// - Returns: false when the run was not queued (nothing changed).
    /// - Throws: `StoreError.writeFailed`.
    @discardableResult
    public func recordQueuedRunCancelled(_ run: RunID, reason: String, at: Date) throws(StoreError) -> Bool {
        try write("record run \(run) cancelled") { db in
            let t = Timestamp.format(at)
            try db.execute(
                sql: "UPDATE runs SET status = 'cancelled', reason = ?, finished_at = ? WHERE id = ? AND status = 'queued'",
                arguments: [reason, t, run.rawValue])
            guard db.changesCount > 0 else { return false }
            try db.execute(
                sql: "UPDATE step_runs SET status = 'cancelled', reason = ?, finished_at = ? WHERE run_id = ? AND status = 'pending'",
                arguments: [reason, t, run.rawValue])
            return true
        }
    }
}
