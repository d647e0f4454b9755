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
/// `synchronous = NORMAL` instead (SQLite still syncs the WAL before each checkpoint and the
/// database after it, and never leaves the file corrupt), and a write returns only after
/// `sync()`: an `fdatasync` of the WAL file through a descriptor of its own. `fdatasync` flushes
/// the file, whichever descriptor wrote it, and SQLite appends to the WAL in order, so a sync
/// begun after a commit ended makes that commit, and every one before it, durable. Callers whose
/// commits ended while a sync ran share the next one.
///
/// A failed sync leaves unknown what reached the disk (Linux may drop the pages it could not
/// write and report the next sync clean), so every later sync of this ledger fails with it:
/// nothing more is sent on the word of a commit that may be lost, until the ledger is opened again.
final class WALSync: @unchecked Sendable {
    /// Syncs the file: 0, or the `errno` of the failure.
    private let flush: @Sendable () -> Int32
    /// The descriptor `flush` syncs, closed with this object; -1 when `flush` is a test's.
    private let fd: Int32

    // `@unchecked Sendable`: the fields below are read and written under `condition` only.
    private let condition = NSCondition()
    /// Callers so far, each numbered in the order it asked (after its commit ended).
    private var asked = 0
    /// Every caller up to this number is durable.
    private var durable = 0
    private var syncing = false
    private var failure: Int32 = 0
    private var flushes = 0

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

    /// How many syncs ran, and how many callers have asked (tests read them instead of sleeping).
    var state: (flushes: Int, asked: Int) { condition.withLock { (flushes, asked) } }

    /// Returns once every commit that ended before the call is on disk: 0, or the `errno` of the
    /// failed sync (this one's or an earlier one's).
    func sync() -> Int32 {
        condition.lock()
        defer { condition.unlock() }
        asked += 1
        let mine = asked
        while durable < mine, failure == 0 {
            if syncing { condition.wait(); continue }
            // No sync running: lead one for every caller so far.
            syncing = true
            let covers = asked
            condition.unlock()
            let error = flush()
            condition.lock()
            syncing = false
            flushes += 1
            if error == 0 { durable = covers } else { failure = error }
            condition.broadcast()
        }
        return durable >= mine ? 0 : failure
    }
}
