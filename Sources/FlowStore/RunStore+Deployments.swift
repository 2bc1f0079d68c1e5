import Foundation
import GRDB

extension RunStore {
    /// Records one finished deployment.
    /// - Returns: its id.
    /// - Throws: `StoreError` `.writeFailed` (a CHECK constraint names what was wrong).
    @discardableResult
    public func recordDeployment(_ d: DeploymentRecord) throws(StoreError) -> Int64 {
        try write("record deployment of \(d.project)") { db in
            try db.execute(
                sql: """
                    INSERT INTO deployments (run_id, step_id, project, strategy, colour, previous_colour, image,
                        image_digest, result, reason, started_at, finished_at)
                    VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
                    """,
                arguments: [
                    d.runID, d.stepID, d.project, d.strategy.rawValue, d.colour, d.previousColour, d.image, d.imageDigest,
                    d.result.rawValue, d.reason, Timestamp.format(d.startedAt), Timestamp.format(d.finishedAt),
                ])
            return db.lastInsertedRowID
        }
    }

    /// Deployments of `project` (all projects when nil), newest first, at most `limit`.
    public func deployments(project: String? = nil, limit: Int = 100) throws(StoreError) -> [DeploymentRecord] {
        try read { db in
            var sql = "SELECT * FROM deployments"
            var args: [any DatabaseValueConvertible] = []
            if let project {
                sql += " WHERE project = ?"
                args.append(project)
            }
            sql += " ORDER BY id DESC LIMIT ?"
            args.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { row in
                DeploymentRecord(
                    id: row["id"], runID: row["run_id"], stepID: row["step_id"], project: row["project"],
                    strategy: DeploymentRecord.Strategy(rawValue: row["strategy"]) ?? .recreate, colour: row["colour"],
                    previousColour: row["previous_colour"], image: row["image"], imageDigest: row["image_digest"],
                    result: DeploymentRecord.Result(rawValue: row["result"]) ?? .failed, reason: row["reason"],
                    startedAt: Timestamp.parse(row["started_at"]) ?? Date(timeIntervalSince1970: 0),
                    finishedAt: Timestamp.parse(row["finished_at"]) ?? Date(timeIntervalSince1970: 0))
            }
        }
    }

    /// The colour serving `project` after its last successful blue-green deployment; nil when
    /// there was none.
    public func activeColour(project: String) throws(StoreError) -> String? {
        try read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT colour FROM deployments WHERE project = ? AND strategy = 'blue-green' AND result = 'succeeded'
                    ORDER BY id DESC LIMIT 1
                    """, arguments: [project])
        }
    }
}
