import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Makes a SQLite ledger's commits durable once its one writer has moved on: the sync of the
/// write-ahead log is shared by the commits that ended while another sync ran, and taken out of
/// the writer's turn.
///
/// With `synchronous = FULL`, SQLite syncs the WAL inside every commit, holding the writer: each
/// lane's commit and each claim waited for the sync before the next could begin, and the sync
/// takes about as long as the commit's own work. The ledger's writer commits with
/// `synchronous = NORMAL` instead, and a write returns only after `sync()`: an `fdatasync` of
/// the WAL file, the one SQLite named for this connection (`sqlite3_filename_wal`, a symlinked
/// ledger's real one), through a descriptor of its own. Why that is as durable as `FULL`:
/// - `fdatasync` flushes the file, whichever descriptor wrote it, so a sync begun after a commit
///   ended makes that commit, and everything written to the WAL before it, durable.
/// - SQLite writes the WAL from its start again only after a checkpoint has copied every frame
///   into the database and synced both files, and at `NORMAL` it still syncs the new WAL header
///   (and, for a new WAL file, its folder) itself: what a restart overwrites is already durable.
/// - The WAL is deleted only when the last connection closes, and this ledger's own connections
///   keep it open; another process's commits are synced by that process's own `WALSync`.
///
/// Other connections (another process's `status`, the ingress's promise page) can read a commit
/// in the moment between it and its sync; a power cut then may undo what they showed, never
/// something that was sent: nothing goes out before its own sync.
///
/// A failed sync leaves unknown what reached the disk (Linux may drop the pages it could not
/// write and report the next sync clean), so it stands: every later sync and every later write
/// of this ledger fail with it, until the ledger is opened again.
final class WALSync: @unchecked Sendable {
    /// Syncs the file: 0, or the `errno` of the failure.
    private let flush: @Sendable () -> Int32
    /// The descriptor `flush` syncs, closed with this object; -1 when `flush` is a test's.
    private let fd: Int32

    // `@unchecked Sendable`: the fields below are read and written under `condition` only.
    private let condition = NSCondition()
    /// Commits made so far (`committed()`), numbered from 1.
    private var commits = 0
    /// Every commit up to this number is on disk.
    private var durable = 0
    private var syncing = false
    private var failure: Int32 = 0
    private var flushes = 0, waiting = 0

    /// Syncs `walPath` through a descriptor opened now; nil when it can't be opened (the ledger
    /// then keeps SQLite's own sync in every commit).
    convenience init?(walPath: String) {
        let fd = open(walPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        self.init(fd: fd) { fdatasync(fd) == 0 ? 0 : errno }
    }

    /// Syncs with `flush` (tests count the syncs, or make one fail).
    init(fd: Int32 = -1, flush: @escaping @Sendable () -> Int32) {
        self.fd = fd
        self.flush = flush
    }

    deinit { if fd >= 0 { close(fd) } }

    /// How many syncs ran, and how many callers wait for one (tests read them instead of sleeping).
    var state: (flushes: Int, waiting: Int) { condition.withLock { (flushes, waiting) } }

    /// The `errno` of the sync that failed, 0 while none has.
    var failed: Int32 { condition.withLock { failure } }

    /// Counts a commit that just ended, so that a sync begun from now on covers it.
    func committed() {
        condition.withLock { commits += 1 }
    }

    /// Returns once every commit counted so far is on disk: 0, or the `errno` of the failed sync
    /// (this one's or an earlier one's). A sync already running covers the commits counted
    /// before it began: callers whose commit it covers wait for it; the others share the next.
    func sync() -> Int32 {
        condition.lock()
        defer { condition.unlock() }
        let target = commits
        while durable < target, failure == 0 {
            if syncing {
                waiting += 1
                condition.wait()
                waiting -= 1
                continue
            }
            syncing = true
            let covers = commits
            condition.unlock()
            let error = flush()
            condition.lock()
            syncing = false
            flushes += 1
            if error == 0 { durable = max(durable, covers) } else { failure = error }
            condition.broadcast()
        }
        return durable >= target ? 0 : failure
    }
}
