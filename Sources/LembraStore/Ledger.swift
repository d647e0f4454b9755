import Foundation
import GRDB
import LembraCore

/// The durable ledger: customers, debts, payments and every attempt, in one SQLite file (WAL,
/// synchronous=FULL). Every reminder is claimed here, and committed, before it is sent.
/// Safe to use from several processes at once (the daemon and CLI commands): SQLite serialises
/// writers and the unique key on (debt, due date, step) makes a second claim impossible.
public final class Ledger: Sendable {
    let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed) and migrates the database at `path`.
    public init(path: String, busyTimeout: Double = 5) throws(StoreError) {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        do {
            let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: config)
            // Every commit reaches the disk before it returns: a claim or a `sending` mark lost to a
            // power cut could mean a reminder sent twice. Set here, on the pool's one writer
            // connection, and not in `prepareDatabase`: DatabasePool switches its writer to
            // `synchronous = NORMAL` (WAL synced only at checkpoints) after `prepareDatabase` runs.
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            try Ledger.migrator.migrate(pool)
        } catch {
            throw StoreError(.unavailable, "open \(path)", Ledger.describe(error))
        }
    }

    /// Runs a write transaction, mapping SQLite errors to StoreError.
    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.write(body) } catch { throw Ledger.wrap(error, operation) }
    }

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch { throw Ledger.wrap(error, operation) }
    }

    static func wrap(_ error: any Error, _ operation: String) -> StoreError {
        if let e = error as? StoreError { return e }
        if let e = error as? CSVImportError { return StoreError(.invalid, operation, "\(e.errors.count) bad rows; nothing imported", rowErrors: e.errors) }
        if let e = error as? DatabaseError, e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED {
            return StoreError(.busy, operation, "the database is locked by another process; try again")
        }
        return StoreError(.unavailable, operation, describe(error))
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "\(e.resultCode)" }
        return "\(error)"
    }

    /// Copies the whole database to `destination` while others keep using it (SQLite online backup).
    public func backup(to destination: String) throws(StoreError) {
        do {
            let target = try DatabaseQueue(path: destination)
            try pool.backup(to: target)
        } catch { throw Ledger.wrap(error, "backup") }
    }
}
