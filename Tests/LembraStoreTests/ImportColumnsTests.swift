import Foundation
import LembraCore
import LembraStore
import Testing

/// Re-importing with fewer columns: a column the file leaves out keeps the stored value, an empty
/// cell in a column the file has clears it.
struct ImportColumnsTests {
    static let now = LedgerFixture.now

    func customer(_ f: LedgerFixture, _ id: String = "c1") throws -> Customer {
        try #require(try f.ledger.dueCases(now: Self.now).first { $0.customer.id == id }?.customer)
    }

    func debt(_ f: LedgerFixture, _ id: String) throws -> Debt {
        try #require(try f.ledger.dueCases(now: Self.now).flatMap(\.debts).first { $0.id == id })
    }

    @Test func aCustomerColumnLeftOutKeepsItsStoredValue() throws {
        let f = try LedgerFixture()
        _ = try f.ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c1", name: "Ana", email: "ana@example.com",
            document: "529.982.247-25", timezone: "America/Manaus", locale: .en))], now: Self.now)
        let summary = try f.ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c1", name: "Ana Souza", phone: "+55 11 91234-5678"))],
                                                   columns: ["id", "name", "phone"], now: Self.now)
        #expect(summary.updated == 1)
        #expect(try customer(f) == Customer(id: "c1", name: "Ana Souza", email: "ana@example.com", phone: "+55 11 91234-5678",
                                            document: "529.982.247-25", timezone: "America/Manaus", locale: .en))
    }

    @Test func anEmptyCellInAColumnTheFileHasClearsIt() throws {
        let f = try LedgerFixture()
        _ = try f.ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c1", name: "Ana", email: "ana@example.com",
            phone: "+55 11 91234-5678", document: "529.982.247-25"))], now: Self.now)
        _ = try f.ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c1", name: "Ana"))],
                                         columns: ["id", "name", "email", "document"], now: Self.now)
        #expect(try customer(f) == Customer(id: "c1", name: "Ana", phone: "+55 11 91234-5678"))
    }

    @Test func aCustomerLeftWithoutEmailOrPhoneIsRefusedAndNothingChanges() throws {
        let f = try LedgerFixture()
        let rows = [
            Numbered(row: 2, value: Customer(id: "c1", name: "Ana Souza")),
            Numbered(row: 3, value: Customer(id: "c2", name: "Bia")),
        ]
        let error = try #require(throws: StoreError.self) { try f.ledger.importCustomers(rows, columns: ["id", "name", "email"], now: Self.now) }
        #expect(error.rowErrors == [CSVError(row: 2, column: "email", "needs an email or a phone (the customer would be left with neither)"), CSVError(row: 3, column: "email", "needs an email or a phone (the customer would be left with neither)")])
        #expect(try customer(f) == Customer(id: "c1", name: "Ana", email: "ana@example.com"))
        // Without an email column, c1 keeps the stored address; the new c2 has none to keep.
        let again = try #require(throws: StoreError.self) { try f.ledger.importCustomers(rows, columns: ["id", "name"], now: Self.now) }
        #expect(again.rowErrors == [CSVError(row: 3, column: "email", "needs an email or a phone (the customer would be left with neither)")])
        #expect(try customer(f).name == "Ana")
    }

    @Test func aDebtColumnLeftOutKeepsItsStoredValueAndAnEmptyCellClearsIt() throws {
        let f = try LedgerFixture()
        let due = CalendarDate(iso: "2026-11-17")!
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: 10_000), dueDate: due,
            description: "Revisão", currency: "USD", paymentURL: "https://pay.example/d1"))], now: Self.now)
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: 9_000), dueDate: due))],
                                     columns: ["id", "customer_id", "amount", "due_date"], now: Self.now)
        #expect(try debt(f, "d1") == Debt(id: "d1", customerID: "c1", amount: Money(cents: 9_000), dueDate: due,
                                          description: "Revisão", currency: "USD", paymentURL: "https://pay.example/d1", recordedAt: Self.now))
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: 9_000), dueDate: due))],
                                     columns: ["id", "customer_id", "amount", "due_date", "description", "currency", "payment_url"], now: Self.now)
        #expect(try debt(f, "d1") == Debt(id: "d1", customerID: "c1", amount: Money(cents: 9_000), dueDate: due, recordedAt: Self.now))
    }
}
