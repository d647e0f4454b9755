import Foundation
import LembraCore
import LembraStore

extension PostgresLedger: LedgerImports {
    public func importCustomers(_ rows: [Numbered<Customer>], columns: Set<String>, now: Date) throws(StoreError) -> ImportSummary {
        throw Self.notYet("import customers")
    }
    public func importDebts(_ rows: [Numbered<Debt>], columns: Set<String>, now: Date) throws(StoreError) -> ImportSummary { throw Self.notYet("import debts") }
    public func importPayments(_ rows: [Numbered<Payment>], now: Date) throws(StoreError) -> ImportSummary { throw Self.notYet("import payments") }
    public func wasImported(sha256: String) throws(StoreError) -> Bool { throw Self.notYet("check import") }
    public func markImported(sha256: String, kind: String, name: String, now: Date) throws(StoreError) { throw Self.notYet("mark import") }
}
