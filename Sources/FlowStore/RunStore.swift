public import FlowCore
public import Foundation
import GRDB

/// The run database: one SQLite file in WAL mode, shared safely by several `flow` processes
/// (writers wait up to `busyTimeout` for each other; nothing is lost). Every method is one
/// transaction. A `Sendable` value around GRDB's pool.
public struct RunStore: Sendable {
    let pool: DatabasePool
    /// The database file's path.
    public let path: String

    /// Opens (creating it and its folder if needed) and migrates the database at `path`.
    /// - Throws: `StoreError` `.cannotOpen` or `.migrationFailed`, naming the file.
    public init(path: String, busyTimeout: TimeInterval = 30) throws(StoreError) {
        self.path = path
        pool = try SQLiteFile.open(path, what: "run database", busyTimeout: busyTimeout, migrator: Schema.migrator)
    }

    static func describe(_ error: any Error) -> String { SQLiteFile.describe(error) }

    func write<T>(_ what: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        try SQLiteFile.write(pool, path, what, body)
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try SQLiteFile.read(pool, path, body)
    }

    // MARK: Writing

    /// Records a new run and its step runs (all `pending`, in `steps` order; those in `reused`
    /// take the status and outputs of the run they are reused from).
    /// - Throws: `.conflict` when a scheduled run for the same workflow, schedule and fire time
    ///   exists already (the schema forbids it); `.writeFailed` otherwise.
    public func createRun(_ run: Run, steps: [StepID], reused: [StepID: StepRun] = [:]) throws(StoreError) {
        try write("record run \(run.id)") { db in
            do {
                try db.execute(
                    sql: """
                        INSERT INTO runs (id, workflow, workflow_file, trigger, status, params, scheduled_for,
                            schedule_key, retry_of, workspace, reason, pid, host, created_at, started_at, finished_at)
                        VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                        """,
                    arguments: [
                        run.id.rawValue, run.workflow.rawValue, run.workflowFile, run.trigger.rawValue,
                        run.status.rawValue, Self.json(run.params), run.scheduledFor.map(Timestamp.format),
                        run.scheduleKey, run.retryOf?.rawValue, run.workspace, run.reason, run.pid.map { Int($0) },
                        run.host, Timestamp.format(run.createdAt), run.startedAt.map(Timestamp.format),
                        run.finishedAt.map(Timestamp.format),
                    ])
            } catch let e as DatabaseError where e.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                throw StoreError(
                    .conflict, "a run of '\(run.workflow)' for \(run.scheduledFor.map(Timestamp.format) ?? "?") exists already")
            }
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO step_runs (run_id, step_id, position, status, attempts, exit_code, signal, reason,
                        reused_from, started_at, finished_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)
                    """)
            let output = try db.cachedStatement(sql: "INSERT INTO outputs (run_id, step_id, name, value) VALUES (?,?,?,?)")
            for (position, step) in steps.enumerated() {
                if let old = reused[step] {
                    try insert.execute(arguments: [
                        run.id.rawValue, step.rawValue, position, old.status.rawValue, old.attempts,
                        old.exitCode.map { Int($0) }, old.signal.map { Int($0) }, old.reason,
                        (old.reusedFrom ?? old.runID).rawValue, old.startedAt.map(Timestamp.format),
                        old.finishedAt.map(Timestamp.format),
                    ])
                    for (name, value) in old.outputs {
                        try output.execute(arguments: [run.id.rawValue, step.rawValue, name, value])
                    }
                } else {
                    try insert.execute(arguments: [
                        run.id.rawValue, step.rawValue, position, StepStatus.pending.rawValue, 0, nil, nil, nil,
                        nil, nil, nil,
                    ])
                }
            }
        }
    }

    /// Applies run events in order, in one transaction. Used by `RunRecorder`.
    public func apply(_ events: [RunEvent], run: RunID) throws(StoreError) {
        try write("record events of run \(run)") { db in
            for event in events { try Self.apply(event, run: run, db) }
        }
    }

    static func apply(_ event: RunEvent, run: RunID, _ db: Database) throws {
        let r = run.rawValue
        switch event {
        case .runStarted(_, let at):
            try db.cachedStatement(sql: "UPDATE runs SET status = 'running', started_at = ? WHERE id = ?")
                .execute(arguments: [Timestamp.format(at), r])
        case .stepStarted(let step, let attempt, let pid, let at):
            let t = Timestamp.format(at)
            try db.cachedStatement(
                sql: """
                    UPDATE step_runs SET status = 'running', attempts = ?, started_at = coalesce(started_at, ?)
                    WHERE run_id = ? AND step_id = ?
                    """
            ).execute(arguments: [attempt, t, r, step.rawValue])
            try db.cachedStatement(
                sql: """
                    INSERT INTO attempts (run_id, step_id, attempt, status, pid, started_at) VALUES (?,?,?,'running',?,?)
                    """
            ).execute(arguments: [r, step.rawValue, attempt, pid.map { Int($0) }, t])
        case .stepOutput(let step, let attempt, let stream, let bytes, let continued, let at):
            try db.cachedStatement(
                sql: """
                    INSERT INTO logs (run_id, step_id, attempt, stream, time, line, continued) VALUES (?,?,?,?,?,?,?)
                    """
            ).execute(arguments: [
                r, step.rawValue, attempt, stream.rawValue, Timestamp.format(at), Data(bytes), continued ? 1 : 0,
            ])
        case .attemptFinished(let step, let attempt, let outcome, _, let at):
            let (exit, signal, reason) = Self.details(outcome)
            try db.cachedStatement(
                sql: """
                    UPDATE attempts SET status = ?, exit_code = ?, signal = ?, reason = ?, finished_at = ?
                    WHERE run_id = ? AND step_id = ? AND attempt = ?
                    """
            ).execute(arguments: [
                outcome.status.rawValue, exit.map { Int($0) }, signal.map { Int($0) }, reason,
                Timestamp.format(at), r, step.rawValue, attempt,
            ])
        case .stepFinished(let step, let outcome, _, let outputs, let attempts, let at):
            let (exit, signal, reason) = Self.details(outcome)
            try db.cachedStatement(
                sql: """
                    UPDATE step_runs SET status = ?, attempts = ?, exit_code = ?, signal = ?, reason = ?, finished_at = ?
                    WHERE run_id = ? AND step_id = ?
                    """
            ).execute(arguments: [
                outcome.status.rawValue, attempts, exit.map { Int($0) }, signal.map { Int($0) }, reason,
                Timestamp.format(at), r, step.rawValue,
            ])
            if !outputs.isEmpty {
                let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO outputs (run_id, step_id, name, value) VALUES (?,?,?,?)")
                for (name, value) in outputs.sorted(by: { $0.key < $1.key }) {
                    try insert.execute(arguments: [r, step.rawValue, name, value])
                }
            }
        case .runFinished(_, let status, let at):
            try db.cachedStatement(sql: "UPDATE runs SET status = ?, finished_at = ? WHERE id = ?")
                .execute(arguments: [status.rawValue, Timestamp.format(at), r])
        }
    }

    static func details(_ outcome: StepOutcome) -> (Int32?, Int32?, String?) {
        switch outcome {
        case .succeeded: (0, nil, nil)
        case .failed(let exit, let signal, let reason): (exit, signal, reason)
        case .timedOut: (nil, nil, "timed out")
        case .cancelled: (nil, nil, "cancelled")
        case .skipped(let reason), .interrupted(let reason): (nil, nil, reason)
        }
    }

    /// Sets a run's reason (e.g. who cancelled it) without changing anything else.
    public func recordRunReason(_ run: RunID, reason: String) throws(StoreError) {
        try write("record reason of run \(run)") { db in
            try db.execute(sql: "UPDATE runs SET reason = ? WHERE id = ?", arguments: [reason, run.rawValue])
        }
    }

    /// Closes a run left `running` or `queued` by a process that died: the run and its
    /// unfinished step runs and attempts become `interrupted` with `reason`.
    /// - Returns: false when the run was already final (nothing changed).
    @discardableResult
    public func recordRunInterrupted(_ run: RunID, reason: String, at: Date) throws(StoreError) -> Bool {
        try write("record run \(run) interrupted") { db in
            let t = Timestamp.format(at)
            try db.execute(
                sql: "UPDATE runs SET status = 'interrupted', reason = ?, finished_at = ? WHERE id = ? AND status IN ('running','queued')",
                arguments: [reason, t, run.rawValue])
            guard db.changesCount > 0 else { return false }
            try db.execute(
                sql: "UPDATE attempts SET status = 'interrupted', reason = ?, finished_at = ? WHERE run_id = ? AND status = 'running'",
                arguments: [reason, t, run.rawValue])
            try db.execute(
                sql: "UPDATE step_runs SET status = 'interrupted', reason = ?, finished_at = ? WHERE run_id = ? AND status = 'running'",
                arguments: [reason, t, run.rawValue])
            return true
        }
    }

    // MARK: Reading

    /// Runs, newest first, optionally of one workflow and/or status, at most `limit`.
    public func runs(workflow: WorkflowName? = nil, status: RunStatus? = nil, limit: Int = 50) throws(StoreError) -> [Run] {
        try read { db in
            var sql = "SELECT * FROM runs"
            var clauses: [String] = []
            var args: [(any DatabaseValueConvertible)?] = []
            if let workflow {
                clauses.append("workflow = ?")
                args.append(workflow.rawValue)
            }
            if let status {
                clauses.append("status = ?")
                args.append(status.rawValue)
            }
            if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
            sql += " ORDER BY created_at DESC, id DESC LIMIT ?"
            args.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Self.run)
        }
    }

    /// Runs whose status is `running` or `queued`.
    public func unfinishedRuns() throws(StoreError) -> [Run] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs WHERE status IN ('running','queued') ORDER BY created_at")
                .map(Self.run)
        }
    }

    /// One run, or nil. `id` may be a unique prefix of a run id.
    public func run(_ id: String) throws(StoreError) -> Run? {
        try read { db in
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) {
                return Self.run(row)
            }
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM runs WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
                arguments: [id.replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"])
            return rows.count == 1 ? Self.run(rows[0]) : nil
        }
    }

    /// The most recent run of `workflow` for schedule `key`, by fire time.
    public func lastScheduledRun(workflow: WorkflowName, scheduleKey: String) throws(StoreError) -> Run? {
        try read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM runs WHERE workflow = ? AND schedule_key = ? ORDER BY scheduled_for DESC LIMIT 1
                    """, arguments: [workflow.rawValue, scheduleKey]
            ).map(Self.run)
        }
    }

    /// A run's step runs in plan order, with their outputs.
    public func stepRuns(_ run: RunID) throws(StoreError) -> [StepRun] {
        try read { db in
            var outputs: [String: [String: String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT step_id, name, value FROM outputs WHERE run_id = ?", arguments: [run.rawValue]) {
                outputs[row["step_id"], default: [:]][row["name"]] = row["value"]
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM step_runs WHERE run_id = ? ORDER BY position", arguments: [run.rawValue])
                .map { row in
                    StepRun(
                        runID: run, stepID: StepID(row["step_id"] as String),
                        status: StepStatus(rawValue: row["status"]) ?? .pending, attempts: row["attempts"],
                        exitCode: (row["exit_code"] as Int?).map { Int32(truncatingIfNeeded: $0) },
                        signal: (row["signal"] as Int?).map { Int32(truncatingIfNeeded: $0) },
                        reason: row["reason"], reusedFrom: (row["reused_from"] as String?).map { RunID($0) },
                        startedAt: (row["started_at"] as String?).flatMap(Timestamp.parse),
                        finishedAt: (row["finished_at"] as String?).flatMap(Timestamp.parse),
                        outputs: outputs[row["step_id"]] ?? [:])
                }
        }
    }

    /// A run's attempts, by step run then attempt number.
    public func attempts(_ run: RunID) throws(StoreError) -> [Attempt] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.* FROM attempts a JOIN step_runs s USING (run_id, step_id)
                    WHERE a.run_id = ? ORDER BY s.position, a.attempt
                    """, arguments: [run.rawValue]
            ).map { row in
                Attempt(
                    runID: run, stepID: StepID(row["step_id"] as String), number: row["attempt"],
                    status: StepStatus(rawValue: row["status"]) ?? .running,
                    exitCode: (row["exit_code"] as Int?).map { Int32(truncatingIfNeeded: $0) },
                    signal: (row["signal"] as Int?).map { Int32(truncatingIfNeeded: $0) },
                    pid: (row["pid"] as Int?).map { Int32(truncatingIfNeeded: $0) }, reason: row["reason"],
                    startedAt: Timestamp.parse(row["started_at"]) ?? Date(timeIntervalSince1970: 0),
                    finishedAt: (row["finished_at"] as String?).flatMap(Timestamp.parse))
            }
        }
    }

    /// Log lines of a run (optionally one step run) with sequence numbers above `after`, in
    /// order, at most `limit`.
    public func logs(_ run: RunID, step: StepID? = nil, after: Int64 = 0, limit: Int = 10_000) throws(StoreError) -> [LogLine] {
        try read { db in
            var sql = "SELECT seq, step_id, attempt, stream, time, line, continued FROM logs WHERE run_id = ? AND seq > ?"
            var args: [any DatabaseValueConvertible] = [run.rawValue, after]
            if let step {
                sql += " AND step_id = ?"
                args.append(step.rawValue)
            }
            sql += " ORDER BY seq LIMIT ?"
            args.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { row in
                LogLine(
                    sequence: row["seq"], stepID: StepID(row["step_id"] as String), attempt: row["attempt"],
                    stream: LogStream(rawValue: row["stream"]) ?? .system,
                    time: Timestamp.parse(row["time"]) ?? Date(timeIntervalSince1970: 0),
                    bytes: [UInt8](row["line"] as Data), continued: (row["continued"] as Int) != 0)
            }
        }
    }

    static func run(_ row: Row) -> Run {
        Run(
            id: RunID(row["id"] as String), workflow: WorkflowName(row["workflow"] as String),
            workflowFile: row["workflow_file"], trigger: RunTrigger(rawValue: row["trigger"]) ?? .manual,
            status: RunStatus(rawValue: row["status"]) ?? .failed, params: Self.params(row["params"]),
            scheduledFor: (row["scheduled_for"] as String?).flatMap(Timestamp.parse), scheduleKey: row["schedule_key"],
            retryOf: (row["retry_of"] as String?).map { RunID($0) }, workspace: row["workspace"], reason: row["reason"],
            pid: (row["pid"] as Int?).map { Int32(truncatingIfNeeded: $0) }, host: row["host"],
            createdAt: Timestamp.parse(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
            startedAt: (row["started_at"] as String?).flatMap(Timestamp.parse),
            finishedAt: (row["finished_at"] as String?).flatMap(Timestamp.parse))
    }

    static func json(_ params: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: params, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func params(_ text: String) -> [String: String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: String] ?? [:]
    }
}
