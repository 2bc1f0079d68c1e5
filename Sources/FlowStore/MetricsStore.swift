public import FlowCore
import Foundation
import GRDB

/// The metrics history in the run database (table `metrics`): every value `evaluate` measured,
/// per run, step, collection and retrieval mode. Every method is one transaction. A `Sendable`
/// value; safe to use from several tasks.
public struct MetricsStore: Sendable {
    let store: RunStore

    /// Opens (creating and migrating it if needed) the run database at `path`.
    /// - Throws: `StoreError` `.cannotOpen` or `.migrationFailed`.
    public init(path: String) throws(StoreError) {
        store = try RunStore(path: path)
    }

    /// Appends `records` in one transaction (all or none).
    /// - Throws: `StoreError.writeFailed` (a mode the schema does not allow among them).
    public func recordMetrics(_ records: [MetricRecord]) throws(StoreError) {
        try store.write("record \(records.count) metrics") { db in
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO metrics (run_id, step_id, workflow, collection, mode, gold_set, metric, value, samples, recorded_at)
                    VALUES (?,?,?,?,?,?,?,?,?,?)
                    """)
            for r in records {
                try insert.execute(arguments: [
                    r.runID.rawValue, r.stepID.rawValue, r.workflow.rawValue, r.collection, r.mode, r.goldSet, r.metric,
                    r.value, r.samples, Timestamp.format(r.recordedAt),
                ])
            }
        }
    }

    /// The metrics of the most recent evaluation of `collection` in `mode` (the last run and
    /// step that recorded any), restricted to values measured on `goldSet` when given; empty
    /// when there is none.
    /// - Throws: `StoreError.readFailed`.
    public func latestEvaluation(collection: String, mode: String, goldSet: String? = nil) throws(StoreError) -> [MetricRecord] {
        try store.read { db in
            var condition = "collection = ? AND mode = ?"
            var arguments: StatementArguments = [collection, mode]
            if let goldSet {
                condition += " AND gold_set = ?"
                arguments += [goldSet]
            }
            guard
                let last = try Row.fetchOne(
                    db, sql: "SELECT run_id, step_id FROM metrics WHERE \(condition) ORDER BY id DESC LIMIT 1",
                    arguments: arguments)
            else { return [] }
            let runID: String = last[0]
            let stepID: String = last[1]
            return try Row.fetchAll(
                db, sql: Self.select + " WHERE \(condition) AND run_id = ? AND step_id = ? ORDER BY id",
                arguments: arguments + [runID, stepID]
            ).map(Self.record(from:))
        }
    }

    /// Every metric recorded by `run`, in the order recorded.
    /// - Throws: `StoreError.readFailed`.
    public func metrics(of run: RunID) throws(StoreError) -> [MetricRecord] {
        try store.read { db in
            try Row.fetchAll(db, sql: Self.select + " WHERE run_id = ? ORDER BY id", arguments: [run.rawValue])
                .map(Self.record(from:))
        }
    }

    /// The most recent `limit` values (newest first), of one collection and metric when given.
    /// - Throws: `StoreError.readFailed`.
    public func history(collection: String? = nil, metric: String? = nil, limit: Int = 100) throws(StoreError) -> [MetricRecord] {
        try store.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let collection {
                conditions.append("collection = ?")
                arguments += [collection]
            }
            if let metric {
                conditions.append("metric = ?")
                arguments += [metric]
            }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(
                db, sql: Self.select + filter + " ORDER BY id DESC LIMIT ?", arguments: arguments + [max(0, limit)]
            ).map(Self.record(from:))
        }
    }

    private static let select = """
        SELECT run_id, step_id, workflow, collection, mode, gold_set, metric, value, samples, recorded_at FROM metrics
        """

    private static func record(from row: Row) -> MetricRecord {
        MetricRecord(
            runID: RunID(row[0] as String), stepID: StepID(row[1] as String), workflow: WorkflowName(row[2] as String),
            collection: row[3], mode: row[4], goldSet: row[5], metric: row[6], value: row[7], samples: row[8],
            recordedAt: Timestamp.parse(row[9]) ?? Date(timeIntervalSince1970: 0))
    }
}
