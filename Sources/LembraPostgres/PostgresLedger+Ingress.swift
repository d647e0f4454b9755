import Foundation
import LembraCore
import LembraStore

/// Payments confirmed over HTTP (the ingress), as `SQLiteLedger+Ingress`: through `recordPayment`,
/// idempotent by reference, and what cannot be applied kept in `unmatched_payments`.
extension PostgresLedger {
    /// Records `payment` in one transaction and says what that did. The debt's row is locked
    /// first, so the same confirmation arriving at two daemons at once is recorded by one and
    /// found a duplicate by the other.
    public func receive(_ payment: IncomingPayment, source: String, now: Date) throws(StoreError) -> IngressOutcome {
        try transaction("receive payment \(payment.reference)") { c throws(PostgresError) -> IngressOutcome in
            guard let debtID = try self.debtID(c, for: payment.target), let debt = try lockDebt(c, debtID) else {
                let reason: UnmatchedReason = if case .pixTxid = payment.target { .unknownTxid } else { .unknownDebt }
                return .unmatched(reason, new: try keepUnmatched(c, payment, reason, now: now))
            }
            if let recorded = try c.query("SELECT amount_cents FROM payments WHERE debt_id = $1 AND reference = $2",
                                          [debtID, payment.reference], operation: "find payment").first?["amount_cents"] {
                guard recorded == String(payment.amount.cents) else {
                    return .unmatched(.referenceConflict, new: try keepUnmatched(c, payment, .referenceConflict, now: now))
                }
                return .duplicate(debtID: debtID)
            }
            if debt["paid_at"] != nil { return .unmatched(.alreadyPaid, new: try keepUnmatched(c, payment, .alreadyPaid, now: now)) }
            let p = Payment(debtID: debtID, amount: payment.amount, paidAt: payment.paidAt, reference: payment.reference)
            return .recorded(debtID: debtID, settled: try recordPayment(c, p, source: source, now: now).settled)
        }
    }

    /// The unmatched payments, newest first, at most `limit`, and how many there are in all.
    public func unmatchedPayments(limit: Int) throws(StoreError) -> (payments: [UnmatchedPayment], total: Int) {
        try withConnection("unmatched payments") { c throws(PostgresError) in
            let total = try c.query("SELECT count(*) AS n FROM unmatched_payments", operation: "count unmatched payments")
                .first.map { Int($0.int64("n")) } ?? 0
            let payments = try c.query("""
                SELECT received_at, reason, target_kind, target, amount_cents, paid_at, reference
                FROM unmatched_payments ORDER BY received_at DESC, id DESC LIMIT $1
                """, [String(limit)], operation: "unmatched payments").map { row in
                let target = row.text("target")
                return UnmatchedPayment(
                    receivedAt: row.date("received_at") ?? .distantPast, reason: UnmatchedReason(rawValue: row.text("reason")) ?? .unknownDebt,
                    target: row["target_kind"] == "txid" ? .pixTxid(target) : .debt(target),
                    amount: Money(cents: row.int64("amount_cents")), paidAt: row.date("paid_at") ?? .distantPast, reference: row.text("reference"))
            }
            return (payments, total)
        }
    }

    /// Fills `pix_txids` for the debts queued since the last time (the ingress runs it when it
    /// starts; `receive` when a txid is not found).
    public func indexPixTxids() throws(StoreError) {
        _ = try transaction("index pix txids") { c throws(PostgresError) in try catchUpPixTxids(c) }
    }

    /// The debt a confirmation names, or nil. A txid that is a debt's own id is that debt; any
    /// other is looked up in `pix_txids`, brought up to date first when it is not there.
    func debtID(_ c: PostgresConnection, for target: IncomingPayment.Target) throws(PostgresError) -> String? {
        let byID = "SELECT id FROM debts WHERE id = $1", byTxid = "SELECT debt_id AS id FROM pix_txids WHERE txid = $1"
        switch target {
        case .debt(let id):
            return try c.query(byID, [id], operation: "find debt").first?["id"]
        case .pixTxid(let txid):
            if PixBRCode.txid(fromDebtID: txid) == txid, let id = try c.query(byID, [txid], operation: "find debt").first?["id"] {
                return id
            }
            // A Pix without a txid (sent to the key by hand) names no debt.
            guard !txid.isEmpty else { return nil }
            if let id = try c.query(byTxid, [txid], operation: "find pix txid").first?["id"] { return id }
            guard try catchUpPixTxids(c) > 0 else { return nil }
            return try c.query(byTxid, [txid], operation: "find pix txid").first?["id"]
        }
    }

    /// Adds the txids of the debts queued in `pix_txids_pending` (by the trigger on `debts`) and
    /// empties the queue; returns how many were queued. A miss on a txid none of Lembra's (a
    /// business's key receives others too) then costs a probe of an empty queue, not a pass over
    /// every debt. Two daemons catching up at once: the second's `DELETE` waits for the first's
    /// rows and finds them gone, and its next statement sees the txids the first added.
    @discardableResult
    func catchUpPixTxids(_ c: PostgresConnection) throws(PostgresError) -> Int {
        let ids = try c.query("DELETE FROM pix_txids_pending RETURNING debt_id", operation: "read debts to index").compactMap { $0["debt_id"] }
        for id in ids {
            try c.query("INSERT INTO pix_txids (txid, debt_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                        [PixBRCode.txid(fromDebtID: id), id], operation: "index pix txid")
        }
        return ids.count
    }

    /// Keeps an unapplied payment; false when the same one (target and reference) was kept before.
    func keepUnmatched(_ c: PostgresConnection, _ p: IncomingPayment, _ reason: UnmatchedReason, now: Date) throws(PostgresError) -> Bool {
        let (kind, target) = switch p.target { case .debt(let id): ("debt", id); case .pixTxid(let t): ("txid", t) }
        return try !c.query("""
            INSERT INTO unmatched_payments (received_at, reason, target_kind, target, amount_cents, paid_at, reference)
            VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id
            """, [PostgresValue.time(now), reason.rawValue, kind, target, String(p.amount.cents), PostgresValue.time(p.paidAt), p.reference],
            operation: "keep unmatched payment").isEmpty
    }
}
