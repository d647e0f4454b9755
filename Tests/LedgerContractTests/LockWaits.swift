import Foundation
import LembraPostgres
import LembraStore
import Synchronization

/// Races between real PostgreSQL sessions, played in a chosen order: each step starts on its own
/// thread, and the next starts only once PostgreSQL itself (`pg_stat_activity`) shows the
/// sessions waiting for a lock. No sleep stands in for that order.
struct LockWaits {
    /// A connection of its own, to watch the others and to hold the locks that set the order.
    let session: PostgresConnection

    init(url: String) throws { session = try PostgresConnection(url: url) }

    /// Returns once `count` sessions of this database wait for a lock; fails after 30 s.
    func waitFor(_ count: Int) throws {
        let deadline = Date().addingTimeInterval(30)
        while try waiting() < count {
            guard Date() < deadline else { throw StoreError(.busy, "wait for lock waits", "\(count) sessions never waited for a lock") }
            usleep(2_000)
        }
    }

    /// How many sessions of this database wait for a lock now.
    func waiting() throws -> Int {
        let rows = try session.query("""
            SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
            """, operation: "count lock waits")
        return Int(rows.first?["n"].flatMap { $0 } ?? "0") ?? 0
    }
}

/// `body` run on a thread of its own; `result()` waits for it.
final class Background<T: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let outcome = Mutex<Result<T, StoreError>?>(nil)

    init(_ body: @escaping @Sendable () throws(StoreError) -> T) {
        DispatchQueue.global().async { [self] in
            let result = Result { () throws(StoreError) in try body() }
            outcome.withLock { $0 = result }
            done.signal()
        }
    }

    func result() -> Result<T, StoreError> {
        done.wait()
        done.signal()
        return outcome.withLock { $0! }
    }
}
