public import FlowCore
import Foundation
import GRDB

/// The daemon's schedule watermarks in the run database (`schedule_state`, one row per
/// workflow and schedule key). Every method is one transaction. A `Sendable` value sharing the
/// run store's connection pool.
///
/// The watermark is one of two guards against firing twice: the other, the last line of
/// defence, is the unique index on `runs(workflow, schedule_key, scheduled_for)`.
public struct ScheduleStateStore: Sendable {
    let store: RunStore

    /// Uses the database `store` has open.
    public init(store: RunStore) {
        self.store = store
    }

    /// Every recorded schedule state, by workflow then key.
    /// - Throws: `StoreError.readFailed`.
    public func scheduleStates() throws(StoreError) -> [ScheduleStateRecord] {
        try store.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT workflow, schedule_key, handled_through, last_fire_time, paused, updated_at
                    FROM schedule_state ORDER BY workflow, schedule_key
                    """
            ).map { row in
                ScheduleStateRecord(
                    workflow: WorkflowName(row["workflow"] as String), scheduleKey: row["schedule_key"],
                    handledThrough: Timestamp.parse(row["handled_through"]) ?? Date(timeIntervalSince1970: 0),
                    lastFireTime: (row["last_fire_time"] as String?).flatMap(Timestamp.parse),
                    paused: (row["paused"] as Int) != 0,
                    updatedAt: Timestamp.parse(row["updated_at"]) ?? Date(timeIntervalSince1970: 0))
            }
        }
    }

    /// Inserts or replaces `records`, all in one transaction.
    /// - Throws: `StoreError.writeFailed`.
    public func recordScheduleStates(_ records: [ScheduleStateRecord]) throws(StoreError) {
        guard !records.isEmpty else { return }
        try store.write("record schedule state") { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO schedule_state (workflow, schedule_key, handled_through, last_fire_time, paused, updated_at)
                    VALUES (?,?,?,?,?,?)
                    ON CONFLICT (workflow, schedule_key) DO UPDATE SET
                        handled_through = excluded.handled_through, last_fire_time = excluded.last_fire_time,
                        paused = excluded.paused, updated_at = excluded.updated_at
                    """)
            for r in records {
                try statement.execute(arguments: [
                    r.workflow.rawValue, r.scheduleKey, Timestamp.format(r.handledThrough),
                    r.lastFireTime.map(Timestamp.format), r.paused ? 1 : 0, Timestamp.format(r.updatedAt),
                ])
            }
        }
    }

    /// Deletes the states of the given schedules (removed from their workflows), all in one
    /// transaction; absent ones are ignored.
    /// - Returns: how many rows were deleted.
    /// - Throws: `StoreError.writeFailed`.
    @discardableResult
    public func removeScheduleStates(_ schedules: [(workflow: WorkflowName, scheduleKey: String)]) throws(StoreError) -> Int {
        guard !schedules.isEmpty else { return 0 }
        return try store.write("remove schedule state") { db in
            var removed = 0
            let statement = try db.cachedStatement(sql: "DELETE FROM schedule_state WHERE workflow = ? AND schedule_key = ?")
            for (workflow, key) in schedules {
                try statement.execute(arguments: [workflow.rawValue, key])
                removed += db.changesCount
            }
            return removed
        }
    }
}
