import Foundation
import GRDB
import LembraCore

extension SQLiteLedger {
    /// The scope (argument: a debt id) of what a payment, a dispute, new terms or a newer promise
    /// make wrong about a debt: its reminders and a promise confirmation not yet sent, which
    /// states the amount and the date promised. A thank-you is not among them.
    static let messagesAskingForDebt = """
        kind IN ('reminder', 'promise_confirmed') AND seq IN (SELECT attempt FROM attempt_items WHERE debt_id = ?)
        """

    /// Cancels the attempts matching `scope` that are still pending (`claimed`, or `retry`), with
    /// `reason`, and returns how many. Used by `pay`, `pause`, `opt-out`, `dispute` and the tick's
    /// recheck of its leftovers, inside their own transaction: an attempt a running tick already
    /// holds in memory is then not marked `sending` (the mark requires a pending state), so it is
    /// never sent. An attempt already `sending` is left alone: it may be on the wire right now, and
    /// its outcome will be recorded; a later tick's recheck deals with what remains of it.
    ///
    /// Whether its steps may be planned again:
    /// - When no try of it may have reached the customer (`may_have_arrived` is 0: never tried, or
    ///   every try refused by the server), its steps go back to the planner: the items leave the
    ///   unique key (kept in `released_items` for `history`) and its debts are looked at again at
    ///   the next tick. The step is then exactly like a due step the planner held: it waits while
    ///   the pause, dispute or opt-out lasts, and once lifted the planner sends the latest step
    ///   due then (this one, or a later one that supersedes it), freshly rendered, in the window,
    ///   within the caps. The other debts of a consolidated message are planned again at once.
    ///   A thank-you given back is pending again (`thanks_pending`).
    /// - When a try may have reached the customer (a timeout, a dropped connection, a send
    ///   interrupted by a crash), the steps stay taken: that message could only be sent again
    ///   under its own id (the `webhook-id` or Message-ID receivers deduplicate on), and planning
    ///   the step anew would send it under a new one. A missing reminder is better than a double
    ///   charge (CDC art. 42), so the ladder just goes on with its next step.
    ///
    /// It also raises the controls version (`bumpControlsVersion`), whether or not anything was
    /// pending: a tick may have read this customer's cases before the control and not claimed
    /// them yet, and that claim must be refused and planned again. Every control that stops
    /// messages comes through here (pause, opt-out, dispute, and `settleIfPaidUp`, the one way
    /// a debt becomes paid), so none can forget it. The tick's own recheck of its leftovers
    /// raises it too; that is harmless (it runs before the tick plans) and rare.
    @discardableResult
    func cancelPending(_ db: Database, scope: String, _ arguments: StatementArguments, reason: CancelReason, now: Date) throws -> Int {
        try bumpControlsVersion(db)
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, kind, may_have_arrived, seq FROM attempts WHERE \(AttemptTransition.cancel.guardClause) AND \(scope)
            """,
                                    arguments: arguments)
        var tally = FinalStateTally()
        for row in rows {
            let id: String = row[0]
            try db.cachedStatement(sql: "UPDATE attempts SET state = 'cancelled', reason = ?, updated_at = ? WHERE id = ? AND \(AttemptTransition.cancel.guardClause)")
                .execute(arguments: [reason.rawValue, now.timeIntervalSince1970, id])
            tally.add(.cancelled, db.changesCount)
            if !(row[2] as Bool) {
                try release(db, attemptID: id, seq: row[3], thanks: (row[1] as String) == PlannedMessage.Kind.thanks.rawValue, now: now)
            }
        }
        try tally.save(db)
        return rows.count
    }

    /// Gives a cancelled attempt's steps back to the planner (see `cancelPending`); `seq` is its
    /// integer key, which its items name it by.
    private func release(_ db: Database, attemptID id: String, seq: Int64, thanks: Bool, now: Date) throws {
        let debts = "id IN (SELECT debt_id FROM attempt_items WHERE attempt = ?)"
        if thanks {
            try db.cachedStatement(sql: "UPDATE debts SET thanks_pending = 1 WHERE paid_at IS NOT NULL AND \(debts)")
                .execute(arguments: [seq])
        }
        // Open debts and pending thank-yous only: a paid debt the planner has nothing for would stay due forever.
        try db.cachedStatement(sql: "UPDATE debts SET next_check_at = ? WHERE (paid_at IS NULL OR thanks_pending = 1) AND \(debts)")
            .execute(arguments: [now.timeIntervalSince1970, seq])
        try db.cachedStatement(sql: """
            INSERT INTO released_items (attempt_id, debt_id, due_date, step_id)
            SELECT ?, debt_id, due_date, step_id FROM attempt_items WHERE attempt = ?
            """).execute(arguments: [id, seq])
        try db.cachedStatement(sql: "DELETE FROM attempt_items WHERE attempt = ?").execute(arguments: [seq])
    }
}
