import Foundation
import LembraCore
import LembraStore

// The planner's reads (`LedgerReports` for `preview`; the tick's own go through `LedgerClaims`).
extension PostgresLedger {
    public func openCases(now: Date) throws(StoreError) -> [CustomerCase] { throw Self.notYet("load open cases") }
    public func dueCases(now: Date, limit: Int) throws(StoreError) -> [CustomerCase] { throw Self.notYet("load due cases") }
    public func isPlanned(under fingerprint: Int32) throws(StoreError) -> Bool { throw Self.notYet("read policy") }
}
