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
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError(.cannotOpen, "cannot open \(what) \(path): \(describe(error))")
        }
        do {
            try migrator.migrate(pool)
        } catch {
            throw StoreError(.migrationFailed, "cannot migrate \(what) \(path): \(describe(error))")
        }
        return pool
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
