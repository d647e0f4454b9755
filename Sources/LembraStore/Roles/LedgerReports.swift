import Foundation
import LembraCore

/// What `status`, `history`, `preview` and the metrics read. Reads only.
public protocol LedgerReports: Sendable {
    func status() throws(StoreError) -> LedgerStatus
    func history(id: String, time: (Date) -> String) throws(StoreError) -> [HistoryEntry]
    func unmatchedPayments(limit: Int) throws(StoreError) -> (payments: [UnmatchedPayment], total: Int)
    /// Every customer with an open debt, as the planner sees them (`preview`).
    func openCases(now: Date) throws(StoreError) -> [CustomerCase]
    /// Up to `limit` customers with a check due by `now`, read without leasing them (`preview`).
    func dueCases(now: Date, limit: Int) throws(StoreError) -> [CustomerCase]
    /// True when the open debts were planned under the policy `fingerprint`.
    func isPlanned(under fingerprint: Int32) throws(StoreError) -> Bool
}

extension LedgerReports {
    public func history(id: String) throws(StoreError) -> [HistoryEntry] { try history(id: id, time: Timestamp.format) }
    public func dueCases(now: Date) throws(StoreError) -> [CustomerCase] { try dueCases(now: now, limit: 10_000) }
}
