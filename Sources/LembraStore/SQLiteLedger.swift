import CSQLite
import Foundation
import GRDB
import LembraCore
#if canImport(Glibc)
import Glibc
#endif

/// The durable ledger: customers, debts, payments and every attempt, in one SQLite file (WAL,
/// each commit synced before its write returns, `WALSync`). Every reminder is claimed here, and
/// committed, before it is sent.
/// Safe to use from several processes at once (the daemon and CLI commands): SQLite serialises
/// writers and the unique key on (debt, due date, step) makes a second claim impossible.
public final class SQLiteLedger: Sendable {
    let pool: DatabasePool
    public let path: String

    /// Opens and migrates the database at `path`. Only with `create` is a missing file (and its
    /// directory) created: a command that merely reads or changes existing data must fail on a
    /// wrong or vanished path, not show an empty ledger, and an empty ledger started by mistake
    /// would later send every step again.
    public convenience init(path: String, busyTimeout: Double = 5, create: Bool = false) throws(StoreError) {
        try self.init(path: path, busyTimeout: busyTimeout, create: create) { WALSync(walPath: $0) }
    }

    /// The same, syncing the WAL (at `walPath`, as SQLite names it) with what `syncer` makes
    /// (tests count or fail the syncs).
    init(path: String, busyTimeout: Double = 5, create: Bool = false, syncer: (_ walPath: String) -> WALSync?) throws(StoreError) {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        if !create, !FileManager.default.fileExists(atPath: path) {
            throw StoreError(.unavailable, "open \(path)", "the database does not exist")
        }
        do {
            if create {
                let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                try SQLiteLedger.createPrivateFile(path)
            }
            pool = try DatabasePool(path: path, configuration: config)
            // SQLite creates a missing file on open; the check above can't close that window, so a
            // file with no ledger schema (vanished meanwhile, or never a ledger) is refused here.
            if !create, try pool.read({ try SQLiteLedger.migrator.appliedIdentifiers($0).isEmpty }) {
                throw StoreError(.unavailable, "open \(path)", "the file holds no Lembra ledger")
            }
            // Every commit reaches the disk before its write returns: a claim or a `sending` mark
            // lost to a power cut could mean a reminder sent twice. The migrations commit with
            // SQLite's own sync (`FULL`); then, with the WAL file open for `WALSync`, the writer
            // leaves the sync to it (`NORMAL`), out of the writer's turn. Set on the pool's one
            // writer connection, and not in `prepareDatabase`: DatabasePool switches its writer
            // to `NORMAL` after `prepareDatabase` runs.
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            try SQLiteLedger.migrator.migrate(pool)
            walSync = pool.writeWithoutTransaction(SQLiteLedger.walPath).flatMap(syncer)
            if walSync != nil { try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = NORMAL") } }
            backupTakenAt = try pool.read { db in
                try Double.fetchOne(db, sql: "SELECT taken_at FROM backup_marker").map(Date.init(timeIntervalSince1970:))
            }
        } catch {
            // Locked by another process past the busy timeout is temporary (exit 75), not "unavailable".
            throw SQLiteLedger.wrap(error, "open \(path)", path: path)
        }
        identity = SQLiteLedger.fileIdentity(path)
    }

    /// Syncs the WAL after each commit, out of the writer's turn; nil when the WAL file could not
    /// be opened, and then every commit syncs itself (`synchronous = FULL`).
    let walSync: WALSync?

    /// The WAL file of `db`'s database as SQLite opened it: beside the real file when the
    /// ledger's path is a symlink.
    private static func walPath(_ db: Database) -> String? {
        guard let name = sqlite3_db_filename(db.sqliteConnection, "main"), let wal = sqlite3_filename_wal(name) else { return nil }
        return String(cString: wal)
    }

    /// Set when this file is a copy made by `lembra backup` (when it was taken), not a ledger in
    /// use: see `SQLiteLedger+Backup.swift`.
    public let backupTakenAt: Date?

    /// Creates an empty database file readable by its owner only (0600 whatever the umask), unless
    /// one exists. SQLite would create it 0644 less the umask, and gives its `-wal` and `-shm`
    /// files the database's mode, so this keeps all three private: they hold names, addresses
    /// and documents (LGPD).
    static func createPrivateFile(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return }
            throw StoreError(.unavailable, "create \(path)", String(cString: strerror(errno)))
        }
        defer { Glibc.close(fd) }
        guard fchmod(fd, 0o600) == 0 else { throw StoreError(.unavailable, "create \(path)", String(cString: strerror(errno))) }
    }

    /// The device and inode of the database file when it was opened.
    private let identity: FileIdentity?

    struct FileIdentity: Equatable, Sendable { var device: UInt64; var inode: UInt64 }

    static func fileIdentity(_ path: String) -> FileIdentity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// Fails when the database file was deleted or replaced since it was opened: the open
    /// connections would keep writing to a file that is gone, and a restart would start an empty
    /// ledger that knows nothing of what was sent.
    public func checkFile() throws(StoreError) {
        guard let identity, SQLiteLedger.fileIdentity(path) == identity else {
            throw StoreError(.replaced, "check \(path)",
                             "the database file was deleted or replaced while in use; stopping. Restore it from a backup (lembra restore)")
        }
        // Only stat(2) here: opening and closing the file would drop SQLite's POSIX locks on it.
    }

    /// Runs a write transaction, mapping SQLite errors to StoreError.
    ///
    /// `BEGIN IMMEDIATE` and `COMMIT` are statements prepared once, where GRDB's `write` compiles
    /// both at every transaction: 2 µs of CPU a message in `lembra-bench ledger` (e-mail, batches
    /// of 8: a commit every 8 messages). GRDB still runs them and sees the transaction begin and
    /// end; a failure rolls back, as its `write` does. A body must not carry on past an error
    /// other than a constraint's: SQLite may have rolled the whole transaction back (a full disk,
    /// an I/O error), and each statement after that would commit on its own. The write still
    /// fails (its `COMMIT` finds no transaction), but those statements are committed.
    ///
    /// The file's identity is checked last, inside the transaction, so nothing commits into a
    /// ledger that was deleted or replaced meanwhile: not a claim, not a `sending` mark, so
    /// nothing more is sent. One `stat(2)` (about a microsecond) per commit; the tick commits
    /// once per chunk of customers and once per batch of each lane.
    ///
    /// The write returns once its commit is on disk (`WALSync`), unless it is not `syncing`: then
    /// the caller calls `syncCommitted()` before it acts on the commit (a group commit, which
    /// lets the channel's next group commit while this one's sync runs).
    func write<T>(_ operation: String, syncing: Bool = true, _ body: (Database) throws -> T) throws(StoreError) -> T {
        let result = try transaction(operation, body)
        if syncing { try syncCommits(operation) }
        return result
    }

    /// Returns once every commit this ledger made so far is on disk: at once when each commit
    /// synced itself (no `WALSync`). A failed sync is `.unavailable`, and stays so.
    public func syncCommitted() throws(StoreError) { try syncCommits("sync the ledger") }

    private func syncCommits(_ operation: String) throws(StoreError) {
        guard let walSync else { return }
        let error = walSync.sync()
        if error != 0 { throw syncFailed(operation, error) }
    }

    private func syncFailed(_ operation: String, _ error: Int32) -> StoreError {
        StoreError(.unavailable, operation, "syncing the ledger's log (\(path)-wal) to disk failed (\(String(cString: strerror(error)))): "
                   + "what was committed since the last sync may be lost, so nothing more is written; check the disk, then restart")
    }

    /// One transaction; counted for `WALSync` once committed. None begins after a failed sync.
    private func transaction<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        if let error = walSync?.failed, error != 0 { throw syncFailed(operation, error) }
        do {
            return try pool.writeWithoutTransaction { db in
                try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
                do {
                    let result = try body(db)
                    try checkFile()
                    try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
                    walSync?.committed()
                    return result
                } catch {
                    try? db.rollback()  // the first failure is the one to report, as GRDB's own `write` does
                    throw error
                }
            }
        } catch { throw SQLiteLedger.wrap(error, operation, path: path) }
    }

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch { throw SQLiteLedger.wrap(error, operation) }
    }

    static func wrap(_ error: any Error, _ operation: String, path: String? = nil) -> StoreError {
        if let e = error as? StoreError { return e }
        if let e = error as? CSVImportError { return StoreError(.invalid, operation, "\(e.errors.count) bad rows; nothing imported", rowErrors: e.errors) }
        if let e = error as? DatabaseError, e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED {
            return StoreError(.busy, operation, "the database is locked by another process; try again")
        }
        if let e = error as? DatabaseError, e.resultCode == .SQLITE_CORRUPT || e.resultCode == .SQLITE_NOTADB {
            return StoreError(.damaged, operation, "\(describe(error)); \(SQLiteLedger.damagedAdvice)")
        }
        return StoreError(.unavailable, operation, describe(error, path: path))
    }

    static func describe(_ error: any Error, path: String? = nil) -> String {
        let text = (error as? DatabaseError).map { $0.message ?? "\($0.resultCode)" } ?? "\(error)"
        // SQLite often reports a full disk as a plain "disk I/O error": say what it is.
        if let path, (error as? DatabaseError).map({ [.SQLITE_FULL, .SQLITE_IOERR].contains($0.resultCode) }) == true {
            var fs = statvfs()
            let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if statvfs(dir, &fs) == 0, fs.f_bavail == 0 { return "\(text): the disk is full (no space left in \(dir))" }
        }
        return text
    }
}
