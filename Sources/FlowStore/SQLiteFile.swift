import Foundation
import GRDB

/// Opening the project's SQLite files (run database, vector store, embedding cache) the same
/// way: the folder made if missing, WAL (GRDB's `DatabasePool`), `synchronous = NORMAL`, foreign
/// keys on, writers waiting up to `busyTimeout` seconds for each other, then the file's named
/// migrations applied.
enum SQLiteFile {
    /// - Parameter what: how messages name the file ("run database", "vector database", …).
    /// - Throws: `StoreError` `.cannotOpen` or `.migrationFailed`, naming `what` and `path`.
    static func open(
        _ path: String, what: String, busyTimeout: TimeInterval, migrator: DatabaseMigrator
    ) throws(StoreError) -> DatabasePool {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let pool: DatabasePool
        let deadline = Date().addingTimeInterval(busyTimeout)
        var pause: UInt32 = 1_000
        while true {
            do {
                pool = try DatabasePool(path: path, configuration: config)
                break
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                // Switching a new file to WAL takes an exclusive lock, and SQLite answers BUSY at
                // once (no busy handler) when another process is doing the same; try again.
                usleep(pause + UInt32.random(in: 0..<pause))
                pause = min(pause * 2, 50_000)
            } catch {
                throw StoreError(.cannotOpen, "cannot open \(what) \(path): \(describe(error))")
            }
        }
        try migrate(pool, migrator, what: what, path: path)
        return pool
    }

    /// Applies `migrator`'s pending migrations, safe when several processes open a new file at
    /// once. GRDB reads the applied list before it takes the write lock, so two processes can
    /// both try the first migration; the loser's `CREATE TABLE` fails ("table … already
    /// exists") and rolls back whole. A failure is therefore retried while another process has
    /// applied more migrations since this attempt began (each retry needs progress elsewhere, so
    /// this ends); a failure with no such progress is real and thrown.
    /// - Throws: `StoreError` `.migrationFailed` with SQLite's message.
    private static func migrate(
        _ pool: DatabasePool, _ migrator: DatabaseMigrator, what: String, path: String
    ) throws(StoreError) {
        var applied: Set<String> = []
        while true {
            do {
                applied = try pool.read { try migrator.appliedIdentifiers($0) }
                try migrator.migrate(pool)
                return
            } catch {
                let now = (try? pool.read { try migrator.appliedIdentifiers($0) }) ?? applied
                if now.isStrictSuperset(of: applied) { continue }
                throw StoreError(.migrationFailed, "cannot migrate \(what) \(path): \(describe(error))")
            }
        }
    }

    /// SQLite's own message for a database error, else the error's description.
    static func describe(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "\(e.resultCode)" }
        return "\(error)"
    }
    /// Runs `body` in a write transaction; a database error becomes `.writeFailed` saying
    /// "cannot <what> in <path>", a `StoreError` thrown by `body` passes through.
    static func write<T>(_ pool: DatabasePool, _ path: String, _ what: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.write(body)
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError(.writeFailed, "cannot \(what) in \(path): \(describe(error))")
        }
    }

    /// Runs `body` in a read transaction; a database error becomes `.readFailed`.
    static func read<T>(_ pool: DatabasePool, _ path: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError(.readFailed, "cannot read \(path): \(describe(error))")
        }
    }
}
