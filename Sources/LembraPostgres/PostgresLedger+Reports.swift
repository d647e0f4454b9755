import Foundation
import LembraCore
import LembraStore

extension PostgresLedger: LedgerReports {
    public func status() throws(StoreError) -> LedgerStatus { throw Self.notYet("status") }
    public func history(id: String, time: (Date) -> String) throws(StoreError) -> [HistoryEntry] { throw Self.notYet("history") }
    public func unmatchedPayments(limit: Int) throws(StoreError) -> (payments: [UnmatchedPayment], total: Int) { throw Self.notYet("unmatched payments") }
}
