import Foundation
import LembraStore

extension PostgresLedger {
    /// No: each lane commits on its own pooled connection, in parallel with its siblings, and
    /// PostgreSQL already flushes its WAL once for the commits that wait on the same flush.
    public var sharesCommits: Bool { false }

    /// Nothing to wait for: each transaction was on disk when its commit returned.
    public func syncCommitted() {}

    /// Each request in its own transaction, exactly as `record(_:markingSending:now:)` and
    /// `record(_:holding:until:reason:now:)` commit them (`GroupCommit` hands PostgreSQL one
    /// request at a time, `sharesCommits`). Not one transaction for a group: each lane's commit
    /// must keep its lease work unchanged (its outcomes guarded by the owner, its daemon's leases
    /// renewed skipping rows another lane has locked, `renewSendingLeases`; waiting there
    /// deadlocked two lanes once). A request's result is its own transaction's.
    public func record(group: [LaneCommit], now: Date) -> [Result<Set<String>, StoreError>] {
        group.map { request in
            Result { () throws(StoreError) -> Set<String> in
                if let hold = request.holding {
                    return try record(request.outcomes, holding: request.ids, until: hold.until, reason: hold.reason, now: now)
                }
                return try record(request.outcomes, markingSending: request.ids, now: now)
            }
        }
    }
}
