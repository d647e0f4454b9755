import Foundation
import LembraCore
import LembraStore

extension PostgresLedger: LedgerReports {
    public func status() throws(StoreError) -> LedgerStatus { throw Self.notYet("status") }
    public func history(id: String, time: (Date) -> String) throws(StoreError) -> [HistoryEntry] { throw Self.notYet("history") }
    public func unmatchedPayments(limit: Int) throws(StoreError) -> (payments: [UnmatchedPayment], total: Int) { throw Self.notYet("unmatched payments") }
    public func openCases(now: Date) throws(StoreError) -> [CustomerCase] { throw Self.notYet("load open cases") }
    public func dueCases(now: Date, limit: Int) throws(StoreError) -> [CustomerCase] { throw Self.notYet("load due cases") }
    public func isPlanned(under fingerprint: Int32) throws(StoreError) -> Bool { throw Self.notYet("read policy") }
}
