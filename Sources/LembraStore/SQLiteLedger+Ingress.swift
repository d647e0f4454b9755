import Foundation
import GRDB
import LembraCore

/// Payments confirmed over HTTP (the ingress). They go through `recordPayment`, the path of
/// `lembra pay` and payments imports, so a confirmation that settles a debt cancels its pending
/// reminders and queues the thank-you once, under the controls version rule.
extension SQLiteLedger {
    /// Records `payment` in one transaction and says what that did. Idempotent by reference:
    /// the same confirmation twice records nothing the second time. What cannot be applied (an
    /// unknown debt or txid, a paid debt, a reference seen with another amount) is kept in
    /// `unmatched_payments` for the operator instead of being refused, so the sender, which only
    /// retries, does not retry forever.
    public func receive(_ payment: IncomingPayment, source: String, now: Date) throws(StoreError) -> IngressOutcome {
        try write("receive payment \(payment.reference)") { db in
            guard let debtID = try debtID(db, for: payment.target) else {
                let reason: UnmatchedReason = if case .pixTxid = payment.target { .unknownTxid } else { .unknownDebt }
                return .unmatched(reason, new: try keepUnmatched(db, payment, reason, now: now))
            }
            if let recorded = try Int64.fetchOne(db, sql: "SELECT amount_cents FROM payments WHERE debt_id = ? AND reference = ?",
                                                 arguments: [debtID, payment.reference]) {
                guard recorded == payment.amount.cents else {
                    return .unmatched(.referenceConflict, new: try keepUnmatched(db, payment, .referenceConflict, now: now))
                }
                return .duplicate(debtID: debtID)
            }
            let paid = try Bool.fetchOne(db, sql: "SELECT paid_at IS NOT NULL FROM debts WHERE id = ?", arguments: [debtID]) ?? false
            if paid { return .unmatched(.alreadyPaid, new: try keepUnmatched(db, payment, .alreadyPaid, now: now)) }
            let p = Payment(debtID: debtID, amount: payment.amount, paidAt: payment.paidAt, reference: payment.reference)
            return .recorded(debtID: debtID, settled: try recordPayment(db, p, source: source, now: now))
        }
    }

    /// The unmatched payments, newest first, at most `limit`, and how many there are in all.
    public func unmatchedPayments(limit: Int) throws(StoreError) -> (payments: [UnmatchedPayment], total: Int) {
        try read("unmatched payments") { db in
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM unmatched_payments") ?? 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT received_at, reason, target_kind, target, amount_cents, paid_at, reference
                FROM unmatched_payments ORDER BY received_at DESC, id DESC LIMIT ?
                """, arguments: [limit])
            let payments = rows.map { row in
                let target: String = row["target"]
                return UnmatchedPayment(
                    receivedAt: Date(timeIntervalSince1970: row["received_at"]),
                    reason: UnmatchedReason(rawValue: row["reason"]) ?? .unknownDebt,
                    target: row["target_kind"] == "txid" ? .pixTxid(target) : .debt(target),
                    amount: Money(cents: row["amount_cents"]), paidAt: Date(timeIntervalSince1970: row["paid_at"]),
                    reference: row["reference"])
            }
            return (payments, total)
        }
    }

    /// Fills `pix_txids` with the txid of every debt not in it yet. The ingress runs it when it
    /// starts, so the first Pix confirmation after an import of many debts does not wait for it;
    /// `receive` runs it again when a txid is not found and debts were added since.
    public func indexPixTxids() throws(StoreError) {
        _ = try write("index pix txids") { db in try catchUpPixTxids(db) }
    }

    /// The debt a confirmation names, or nil. A txid that is a debt's own id is that debt (an id
    /// of at most 25 letters and digits is its own txid); any other is looked up in `pix_txids`,
    /// brought up to date first when it is not there.
    func debtID(_ db: Database, for target: IncomingPayment.Target) throws -> String? {
        switch target {
        case .debt(let id):
            return try String.fetchOne(db, sql: "SELECT id FROM debts WHERE id = ?", arguments: [id])
        case .pixTxid(let txid):
            if PixBRCode.txid(fromDebtID: txid) == txid, let id = try String.fetchOne(db, sql: "SELECT id FROM debts WHERE id = ?", arguments: [txid]) {
                return id
            }
            // A Pix without a txid (sent to the key by hand) names no debt.
            guard !txid.isEmpty else { return nil }
            let lookup = "SELECT debt_id FROM pix_txids WHERE txid = ?"
            if let id = try String.fetchOne(db, sql: lookup, arguments: [txid]) { return id }
            guard try catchUpPixTxids(db) > 0 else { return nil }
            return try String.fetchOne(db, sql: lookup, arguments: [txid])
        }
    }

    /// Adds the txid of every debt `pix_txids` lacks (those whose id is their own txid too, so
    /// that finding the debts to add stays one pass over the index); returns how many. The txid
    /// is computed in Swift (FNV-1a, see `PixBRCode.txid`), so SQLite cannot index it itself; a
    /// debt's id never changes, so an entry never goes stale. About 40 bytes a debt.
    ///
    /// The pass runs only when a debt was added since the last one: a business's Pix key also
    /// receives payments that are none of Lembra's, and each such txid must cost an index probe,
    /// not a pass over every debt. Debts are never deleted and a new row takes the highest rowid,
    /// so the last row (its rowid and its id, which also tells a `VACUUM` that renumbered rows
    /// apart) is unchanged exactly when no debt was added.
    @discardableResult
    func catchUpPixTxids(_ db: Database) throws -> Int {
        guard let last = try Row.fetchOne(db, sql: "SELECT rowid, id FROM debts ORDER BY rowid DESC LIMIT 1") else { return 0 }
        let (rowid, lastID): (Int64, String) = (last[0], last[1])
        if let seen = try Row.fetchOne(db, sql: "SELECT debt_rowid, debt_id FROM pix_txids_seen"), (seen[0] as Int64) == rowid, (seen[1] as String) == lastID {
            return 0
        }
        let ids = try String.fetchAll(db, sql: "SELECT id FROM debts WHERE id NOT IN (SELECT debt_id FROM pix_txids)")
        var added = 0
        for id in ids {
            try db.execute(sql: "INSERT OR IGNORE INTO pix_txids (txid, debt_id) VALUES (?, ?)", arguments: [PixBRCode.txid(fromDebtID: id), id])
            added += db.changesCount
        }
        try db.execute(sql: "INSERT OR REPLACE INTO pix_txids_seen (id, debt_rowid, debt_id) VALUES (1, ?, ?)", arguments: [rowid, lastID])
        return added
    }

    /// Keeps an unapplied payment; false when the same one (target and reference) was kept before.
    func keepUnmatched(_ db: Database, _ p: IncomingPayment, _ reason: UnmatchedReason, now: Date) throws -> Bool {
        let (kind, target) = switch p.target { case .debt(let id): ("debt", id); case .pixTxid(let t): ("txid", t) }
        try db.execute(sql: """
            INSERT OR IGNORE INTO unmatched_payments (received_at, reason, target_kind, target, amount_cents, paid_at, reference)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [now.timeIntervalSince1970, reason.rawValue, kind, target, p.amount.cents, p.paidAt.timeIntervalSince1970, p.reference])
        return db.changesCount > 0
    }
}
