import Foundation
import LembraCore

/// Customers, debts and payments from CSV: each file all-or-nothing, and each file's content
/// taken once (by its SHA-256).
public protocol LedgerImports: Sendable {
    func importCustomers(_ rows: [Numbered<Customer>], columns: Set<String>, now: Date) throws(StoreError) -> ImportSummary
    func importDebts(_ rows: [Numbered<Debt>], columns: Set<String>, now: Date) throws(StoreError) -> ImportSummary
    func importPayments(_ rows: [Numbered<Payment>], now: Date) throws(StoreError) -> ImportSummary
    func wasImported(sha256: String) throws(StoreError) -> Bool
    func markImported(sha256: String, kind: String, name: String, now: Date) throws(StoreError)
}

extension LedgerImports {
    /// Every column present (a file in the documented layout).
    public func importCustomers(_ rows: [Numbered<Customer>], now: Date) throws(StoreError) -> ImportSummary {
        try importCustomers(rows, columns: Set(CustomerRecords.columns), now: now)
    }

    public func importDebts(_ rows: [Numbered<Debt>], now: Date) throws(StoreError) -> ImportSummary {
        try importDebts(rows, columns: Set(DebtRecords.columns), now: now)
    }
}
