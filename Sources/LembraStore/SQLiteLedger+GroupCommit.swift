import Foundation
import GRDB

extension SQLiteLedger {
    /// Every request of the group in one transaction, so the group takes one turn of SQLite's
    /// single writer where its lanes would each have queued for one, and the commit's sync
    /// (`WALSync`) is shared.
    ///
    /// The transaction commits or rolls back whole, so every request shares its result: all
    /// committed, or all failed with the same error (`.busy` when another process kept the
    /// lock), nothing of any written. Committed is durable once `syncCommitted()` returns: the
    /// channel's next group commits meanwhile (`GroupCommit`).
    public var sharesCommits: Bool { true }

    public func record(group: [LaneCommit], now: Date) -> [Result<Set<String>, StoreError>] {
        do throws(StoreError) {
            return try commit(group, now: now, syncing: false).map { .success($0) }
        } catch {
            return group.map { _ in .failure(error) }
        }
    }

    /// Writes each request as `record(_:markingSending:now:)` or `record(_:holding:until:reason:now:)`
    /// describe (its outcomes, then its next batch marked or held, each update guarded by its
    /// `AttemptTransition`), all in one transaction; returns, per request, the ids of its next
    /// batch that moved: an attempt a control cancelled since the lane read it is neither marked
    /// nor held. Durable when it returns unless not `syncing` (`SQLiteLedger.write`).
    func commit(_ group: [LaneCommit], now: Date, syncing: Bool = true) throws(StoreError) -> [Set<String>] {
        guard group.contains(where: { !$0.isEmpty }) else { return group.map { _ in [] } }
        return try write(Self.operation(group), syncing: syncing) { db in
            let t = now.timeIntervalSince1970
            var tally = FinalStateTally()
            let moved = try group.map { request in
                try record(db, request.outcomes, at: t, tally: &tally)
                return try move(db, request, at: t)
            }
            try tally.save(db)
            return moved
        }
    }

    /// Marks or holds `request`'s next batch in `db`'s transaction; returns the ids that moved.
    private func move(_ db: Database, _ request: LaneCommit, at t: Double) throws -> Set<String> {
        var moved = Set<String>()
        for id in request.ids {
            let changed = if let hold = request.holding {
                try db.run(Self.holdSQL, [.text(hold.reason), .real(hold.until.timeIntervalSince1970), .real(t), .text(id), .real(t)])
            } else {
                try db.run(Self.markSendingSQL, [.real(t), .text(id), .real(t)])
            }
            if changed > 0 { moved.insert(id) }
        }
        return moved
    }

    /// The name a failure of this commit is reported under.
    private static func operation(_ group: [LaneCommit]) -> String {
        guard group.count == 1 else { return "group commit" }
        if group[0].holding != nil { return "hold for channel" }
        return group[0].ids.isEmpty ? "record outcomes" : "mark sending"
    }

    private static let markSendingSQL = """
        UPDATE attempts SET state = 'sending', updated_at = ? WHERE id = ? AND \(AttemptTransition.markSending.guardClause)
        """
    private static let holdSQL = """
        UPDATE attempts SET state = 'retry', reason = ?, next_try_at = ?, updated_at = ?
        WHERE id = ? AND \(AttemptTransition.holdForChannel.guardClause)
        """
}
