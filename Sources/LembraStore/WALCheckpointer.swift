import CSQLite
import Dispatch
import Synchronization

/// Copies the pages the ledger committed to its WAL back into the database file, on a queue and
/// a connection of its own, so that no commit waits for that copy.
///
/// SQLite's default makes the commit that takes the WAL past 1,000 pages do the copy, and sync
/// the database file, before it returns. Planning a million debts commits 40 MB of next checks
/// at once, and that copy was a third of the commit (0.26 → 0.17 s in a measurement without
/// it); a lane whose commit crosses the line stops sending while it copies. Here the ledger's
/// writer has its own checkpoints turned off (`wal_autocheckpoint = 0`) and each commit asks for
/// a checkpoint `delay` later, one at a time, so a busy tick gets one every few tens of
/// milliseconds and an idle daemon none. PASSIVE: it never waits for, or blocks, a reader or a
/// writer, and copies what no reader still needs; the next one copies the rest.
///
/// The delay is short on purpose: at 200 ms the WAL grew between checkpoints and the e-mail tick
/// took 7% longer; at 20 ms it takes as long as with SQLite's own checkpoints (BENCHMARKS.md).
///
/// Durability doesn't depend on it: every commit is synced to the WAL before it returns
/// (`synchronous = FULL`), and a WAL not yet copied is read, and copied, by whoever opens the
/// file next. A checkpoint that fails (a full disk) leaves the WAL as it is, for the next one.
final class WALCheckpointer: Sendable {
    /// How long after a commit the checkpoint runs: the commits in between share it.
    static let delay = DispatchTimeInterval.milliseconds(20)

    private struct State {
        /// nil once stopped.
        var connection: OpaquePointer?
        var scheduled = false
    }

    private let state: Mutex<State>
    private let queue = DispatchQueue(label: "lembra.wal-checkpoint", qos: .utility)

    /// Opens the checkpointer's own connection to the ledger at `path` (never creating it) and
    /// reads the schema once, which is when SQLite finds the file in WAL mode (a connection
    /// that has read nothing takes a checkpoint for a no-op); nil when either fails, and the
    /// writer then keeps SQLite's own checkpoints.
    init?(path: String) {
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK,
              sqlite3_exec(connection, "SELECT count(*) FROM sqlite_master", nil, nil, nil) == SQLITE_OK else {
            sqlite3_close_v2(connection)
            return nil
        }
        state = Mutex(State(connection: connection))
    }

    /// After a commit: a checkpoint `delay` from now, unless one is already due.
    func committed() {
        let schedule = state.withLock { state in
            guard state.connection != nil, !state.scheduled else { return false }
            state.scheduled = true
            return true
        }
        if schedule { queue.asyncAfter(deadline: .now() + Self.delay) { [self] in checkpoint() } }
    }

    /// Runs the due checkpoint now, if one is due, and returns when it is done (for tests).
    func flush() {
        queue.sync { if state.withLock({ $0.scheduled }) { checkpoint() } }
    }

    /// Runs `body` while no checkpoint can run (for tests).
    func holding<T>(_ body: () throws -> T) rethrows -> T {
        try queue.sync { try body() }
    }

    /// Closes the connection once a checkpoint under way is done; later requests do nothing.
    /// The ledger stops it before it closes, so that `seal` finds no other connection open.
    func stop() {
        queue.sync {
            state.withLock { state in
                sqlite3_close_v2(state.connection)
                state.connection = nil
            }
        }
    }

    /// On `queue`, so `stop` can't close the connection under it.
    private func checkpoint() {
        let connection = state.withLock { state in
            state.scheduled = false
            return state.connection
        }
        guard let connection else { return }
        _ = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
    }
}
