import FlowCore
import Foundation
import GRDB

/// The promotions history in the run database (table `promotions`): every decision a `promote`
/// step took, switched or kept, with its evidence. Every method is one transaction. A
/// `Sendable` value; safe to use from several tasks.
public struct PromotionStore: Sendable {
    let store: RunStore

    /// Opens (creating and migrating it if needed) the run database at `path`.
    /// - Throws: `StoreError` `.cannotOpen` or `.migrationFailed`.
    public init(path: String) throws(StoreError) {
        store = try RunStore(path: path)
    }

    /// Appends one decision.
    /// - Throws: `StoreError.writeFailed` (among others when `evidence` is not JSON).
    public func recordPromotion(_ r: PromotionRecord) throws(StoreError) {
        try store.write("record the promotion decision for alias \(r.alias)") { db in
            try db.execute(
                sql: """
                    INSERT INTO promotions (run_id, step_id, workflow, alias, gate, candidate, previous, promoted, reason,
                        evidence, decided_at)
                    VALUES (?,?,?,?,?,?,?,?,?,?,?)
                    """,
                arguments: [
                    r.runID.rawValue, r.stepID.rawValue, r.workflow.rawValue, r.alias, r.gate.rawValue, r.candidate, r.previous,
                    r.promoted ? 1 : 0, r.reason, r.evidence, Timestamp.format(r.decidedAt),
                ])
        }
    }

    /// The decisions for `alias` (every alias when nil), newest first, at most `limit`.
    /// - Throws: `StoreError.readFailed`.
    public func promotions(alias: String? = nil, limit: Int = 100) throws(StoreError) -> [PromotionRecord] {
        try store.read { db in
            let filter = alias == nil ? "" : " WHERE alias = ?"
            var arguments: StatementArguments = []
            if let alias { arguments += [alias] }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT run_id, step_id, workflow, alias, gate, candidate, previous, promoted, reason, evidence, decided_at
                    FROM promotions\(filter) ORDER BY id DESC LIMIT ?
                    """,
                arguments: arguments + [max(0, limit)]
            ).compactMap { row in
                guard let gate = PromotionRecord.Gate(rawValue: row[4]) else { return nil }
                return PromotionRecord(
                    runID: RunID(row[0] as String), stepID: StepID(row[1] as String), workflow: WorkflowName(row[2] as String),
                    alias: row[3], gate: gate, candidate: row[5], previous: row[6], promoted: (row[7] as Int) == 1,
                    reason: row[8], evidence: row[9], decidedAt: Timestamp.parse(row[10]) ?? Date(timeIntervalSince1970: 0))
            }
        }
    }
}
