import CSQLite
import Foundation

/// Copies a SQLite ledger's write-ahead log back into the database on a thread and connection of
/// its own, so that no commit waits for it.
///
/// SQLite's automatic checkpoint runs inside the commit that carries the WAL past 1,000 pages:
/// that commit's caller copies up to 4 MB and syncs both files (about 8 ms in a 5,000-message
/// tick) while the pool's one writer waits, and every lane's commit and the planner's claims
/// queue behind it. Installed on the writer, this replaces that checkpoint: such a commit only
/// wakes this thread, which checkpoints through its own connection, `PASSIVE` (it never waits
/// for, nor blocks, a writer or a reader), while the writer goes on.
///
/// What `WALSync` relies on holds as before: SQLite restarts the WAL from its beginning only
/// after a checkpoint has copied every frame, and this connection's checkpoints sync the WAL
/// before they copy and the database once they have (`synchronous = NORMAL`).
///
/// A pass that ends with every frame copied lets the writer's next commit start the WAL over.
/// One that could not (the writer committed meanwhile, a reader held old frames) leaves the WAL
/// growing; the next pass comes after 1,000 more pages, and a commit that finds the WAL past
/// 4,000 checkpoints itself, as SQLite would, which copies the little the passes left and lets
/// the WAL start over. So the WAL stays under about 16 MB even if the thread falls behind.
final class Checkpointer: @unchecked Sendable {
    /// SQLite's own threshold (`wal_autocheckpoint`'s default), in pages of the WAL.
    static let threshold: Int32 = 1000

    /// WAL pages from which a commit wakes the thread, and from which it checkpoints itself.
    let threshold: Int32, backstop: Int32
    /// One checkpoint pass; and what `close()` does once the thread has stopped.
    private let pass: @Sendable () -> Void
    private let release: @Sendable () -> Void

    // `@unchecked Sendable`: the fields below are read and written under `condition` only.
    private let condition = NSCondition()
    private var requested = false, running = false, stopped = false, started = false
    private var passes = 0
    /// The WAL's size in pages when the last pass was asked for.
    private var requestedAt: Int32 = 0

    /// Checkpoints the database at `path` through a connection opened now; nil when it can't be
    /// opened (SQLite's own automatic checkpoint then stays).
    convenience init?(path: String) {
        guard let connection = Connection(path: path) else { return nil }
        self.init(pass: connection.checkpoint, release: connection.close)
    }

    /// Checkpoints with `pass` (tests count the passes, or hold one).
    init(threshold: Int32 = Checkpointer.threshold, pass: @escaping @Sendable () -> Void, release: @escaping @Sendable () -> Void = {}) {
        self.threshold = threshold
        self.backstop = 4 * threshold
        self.pass = pass
        self.release = release
    }

    /// Takes the automatic checkpoint over from SQLite on `writer`, the pool's writer connection.
    func install(on writer: OpaquePointer) {
        sqlite3_wal_hook(writer, { context, db, name, pages in
            Unmanaged<Checkpointer>.fromOpaque(context!).takeUnretainedValue().walGrew(to: pages) { sqlite3_wal_checkpoint(db, name) }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Called after each commit with the WAL's size in pages: asks the thread for a pass each
    /// time the WAL has grown by `threshold` since the last request (SQLite's own cadence, and
    /// not a pass per commit while frames keep coming), and past `backstop` runs `checkpointHere`
    /// (SQLite's own checkpoint) on the committing thread.
    func walGrew(to pages: Int32, checkpointHere: () -> Void) {
        if pages >= backstop { return checkpointHere() }
        let due = condition.withLock {
            if pages < requestedAt { requestedAt = 0 } // the WAL started over
            guard pages - requestedAt >= threshold else { return false }
            requestedAt = pages
            return true
        }
        if due { request() }
    }

    /// Passes run so far, and whether one is asked for or running (tests wait on them, not on time).
    var state: (passes: Int, busy: Bool) { condition.withLock { (passes, requested || running) } }

    /// Asks for a pass, starting the thread on the first request.
    private func request() {
        condition.withLock {
            guard !stopped else { return }
            requested = true
            if !started {
                started = true
                let thread = Thread { [self] in work() }
                thread.name = "lembra.checkpoint"
                thread.start()
            }
            condition.broadcast()
        }
    }

    /// Runs a pass for each request (requests made during a pass ask for one more), until stopped.
    private func work() {
        condition.lock()
        defer { condition.unlock() }
        while true {
            while !requested, !stopped { condition.wait() }
            if stopped { return }
            requested = false
            running = true
            condition.unlock()
            pass()
            condition.lock()
            running = false
            passes += 1
            condition.broadcast()
        }
    }

    /// Stops the thread once its pass is done, then releases the connection. The caller first
    /// takes the hook off the writer, or closes it.
    func close() {
        condition.withLock {
            stopped = true
            condition.broadcast()
            while running { condition.wait() }
        }
        release()
    }

    /// The thread's own connection to the database. `@unchecked Sendable`: used by that thread
    /// only, and closed once it has stopped.
    final class Connection: @unchecked Sendable {
        private let db: OpaquePointer

        init?(path: String) {
            var db: OpaquePointer?
            // The first read also tells a new connection that the database is in WAL mode.
            guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let db,
                  sqlite3_exec(db, "PRAGMA synchronous = NORMAL; SELECT count(*) FROM sqlite_master", nil, nil, nil) == SQLITE_OK
            else {
                sqlite3_close_v2(db)
                return nil
            }
            self.db = db
        }

        /// Copies every frame no reader still needs. One that leaves every frame copied lets
        /// the writer's next commit start the WAL over.
        @Sendable func checkpoint() {
            sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        }

        @Sendable func close() { sqlite3_close_v2(db) }
    }
}
