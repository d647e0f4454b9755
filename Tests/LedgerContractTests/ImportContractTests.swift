import Foundation
import LembraCore
import LembraStore
import Testing

/// Imports on every backend: each file all-or-nothing with every bad row named, the same
/// summary, columns left out keep their values, and a file's content is taken once.
struct ImportContractTests {
    static let now = ContractFixture.now
    static let noContact = "needs an email or a phone (the customer would be left with neither)"

    func customer(_ f: ContractFixture) throws -> Customer {
        try #require(try f.ledger.dueCases(now: Self.now).first { $0.customer.id == "c1" }?.customer)
    }

    @Test(arguments: Backend.allCases) func anUnknownCustomerRejectsTheWholeDebtsFile(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let rows = [
            Numbered(row: 2, value: Debt(id: "new1", customerID: "c1", amount: Money(cents: 1), dueDate: CalendarDate(iso: "2026-12-01")!)),
            Numbered(row: 3, value: Debt(id: "new2", customerID: "ghost", amount: Money(cents: 1), dueDate: CalendarDate(iso: "2026-12-01")!)),
        ]
        let error = try #require(throws: StoreError.self) { try f.ledger.importDebts(rows, now: Self.now) }
        #expect(error.kind == .invalid)
        #expect(error.rowErrors == [CSVError(row: 3, column: "customer_id", "no customer 'ghost'; import customers first")])
        #expect(try f.debts().map(\.id).sorted() == ["d1", "d2"], "new1 was not imported")
    }

    @Test(arguments: Backend.allCases) func theSummaryCountsInsertsAndUpdates(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let customers = try f.ledger.importCustomers([
            Numbered(row: 2, value: Customer(id: "c1", name: "Ana Souza", email: "ana@example.com")),
            Numbered(row: 3, value: Customer(id: "c2", name: "Bia", phone: "+55 11 91234-5678")),
        ], now: Self.now)
        #expect(customers.inserted == 1 && customers.updated == 1, "\(customers)")
        let debts = try f.ledger.importDebts([
            Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: 10_000), dueDate: CalendarDate(iso: "2026-11-17")!)),
            Numbered(row: 3, value: Debt(id: "d3", customerID: "c2", amount: Money(cents: 700), dueDate: CalendarDate(iso: "2026-11-10")!)),
        ], now: Self.now)
        #expect(debts.inserted == 1 && debts.updated == 1 && debts.newlyPaid == 0, "\(debts)")
        #expect(try f.ledger.dueCases(now: Self.now).map(\.customer.id).sorted() == ["c1", "c2"])
    }

    @Test(arguments: Backend.allCases) func aCustomerColumnLeftOutKeepsItsStoredValue(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        _ = try f.ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c1", name: "Ana", email: "ana@example.com",
            document: "529.982.247-25", timezone: "America/Manaus", locale: .en))], now: Self.now)
        let summary = try f.ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c1", name: "Ana Souza", phone: "+55 11 91234-5678"))],
                                                   columns: ["id", "name", "phone"], now: Self.now)
        #expect(summary.updated == 1)
        #expect(try customer(f) == Customer(id: "c1", name: "Ana Souza", email: "ana@example.com", phone: "+55 11 91234-5678",
                                            document: "529.982.247-25", timezone: "America/Manaus", locale: .en))
        _ = try f.ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c1", name: "Ana"))],
                                         columns: ["id", "name", "email", "document"], now: Self.now)
        #expect(try customer(f) == Customer(id: "c1", name: "Ana", phone: "+55 11 91234-5678", timezone: "America/Manaus", locale: .en),
                "an empty cell in a column the file has clears it")
    }

    @Test(arguments: Backend.allCases) func aCustomerLeftWithoutEmailOrPhoneIsRefusedAndNothingChanges(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let rows = [Numbered(row: 2, value: Customer(id: "c1", name: "Ana Souza")), Numbered(row: 3, value: Customer(id: "c2", name: "Bia"))]
        let error = try #require(throws: StoreError.self) { try f.ledger.importCustomers(rows, columns: ["id", "name", "email"], now: Self.now) }
        #expect(error.rowErrors == [CSVError(row: 2, column: "email", Self.noContact), CSVError(row: 3, column: "email", Self.noContact)])
        #expect(try customer(f) == Customer(id: "c1", name: "Ana", email: "ana@example.com"))
        let again = try #require(throws: StoreError.self) { try f.ledger.importCustomers(rows, columns: ["id", "name"], now: Self.now) }
        #expect(again.rowErrors == [CSVError(row: 3, column: "email", Self.noContact)], "c1 keeps its stored address; c2 has none")
        #expect(try customer(f).name == "Ana")
    }

    @Test(arguments: Backend.allCases) func aDebtColumnLeftOutKeepsItsStoredValueAndAnEmptyCellClearsIt(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let due = CalendarDate(iso: "2026-11-17")!
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: 10_000), dueDate: due,
            description: "Revisão", currency: "USD", paymentURL: "https://pay.example/d1"))], now: Self.now)
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: 9_000), dueDate: due))],
                                     columns: ["id", "customer_id", "amount", "due_date"], now: Self.now)
        #expect(try f.debt("d1") == Debt(id: "d1", customerID: "c1", amount: Money(cents: 9_000), dueDate: due,
                                         description: "Revisão", currency: "USD", paymentURL: "https://pay.example/d1", recordedAt: Self.now))
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: 9_000), dueDate: due))],
                                     columns: ["id", "customer_id", "amount", "due_date", "description", "currency", "payment_url"], now: Self.now)
        #expect(try f.debt("d1") == Debt(id: "d1", customerID: "c1", amount: Money(cents: 9_000), dueDate: due, recordedAt: Self.now))
    }

    /// A new due date starts a new ladder (the ledger keys on it), and the reminder claimed for
    /// the old terms is cancelled, its step given back.
    @Test(arguments: Backend.allCases) func newTermsCancelWhatWasClaimedForTheOldOnes(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let old = try f.claimOne(["d1"])
        let moved = Debt(id: "d1", customerID: "c1", amount: Money(cents: 12_000), dueDate: CalendarDate(iso: "2026-12-10")!)
        let summary = try f.ledger.importDebts([Numbered(row: 2, value: moved)], now: Self.now)
        #expect(summary.updated == 1 && summary.inserted == 0)
        let d1 = try f.debt("d1")
        #expect(d1.dueDate.iso == "2026-12-10" && d1.amount.cents == 12_000)
        #expect(try f.pending(old) == nil, "the reminder stating the old terms is cancelled")
        #expect(try f.steps().isEmpty, "its step is given back")
        #expect(try f.ledger.dueCases(now: Self.now).map(\.customer.id) == ["c1"], "planned again at once")
    }

    /// A debt imported already paid is history: no thank-you. An open debt the import marks paid
    /// gets one, once, and its pending reminder is cancelled.
    @Test(arguments: Backend.allCases) func aPaidImportIsHistoryAndAnOpenDebtMarkedPaidIsThanked(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let reminder = try f.claimOne(["d1"])
        let paid = Debt(id: "d1", customerID: "c1", amount: Money(cents: 10_000), dueDate: CalendarDate(iso: "2026-11-17")!, paidAt: Self.now)
        let history = Debt(id: "d9", customerID: "c1", amount: Money(cents: 300), dueDate: CalendarDate(iso: "2026-01-10")!, paidAt: Self.now)
        let summary = try f.ledger.importDebts([Numbered(row: 2, value: paid), Numbered(row: 3, value: history)], now: Self.now)
        #expect(summary.newlyPaid == 1 && summary.inserted == 1 && summary.updated == 1, "\(summary)")
        let c = try #require(try f.ledger.dueCases(now: Self.now).first)
        #expect(c.thanksDue == ["d1"], "only the debt that became paid now is thanked")
        #expect(try f.pending(reminder) == nil)
        let again = try f.ledger.importDebts([Numbered(row: 2, value: paid)], now: Self.now)
        #expect(again.newlyPaid == 0)
    }

    @Test(arguments: Backend.allCases) func aFilesContentIsRecordedOnce(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        #expect(try !f.ledger.wasImported(sha256: "abc"))
        try f.ledger.markImported(sha256: "abc", kind: "debts", name: "debts.csv", now: Self.now)
        try f.ledger.markImported(sha256: "abc", kind: "debts", name: "debts-copy.csv", now: Self.now)
        #expect(try f.ledger.wasImported(sha256: "abc"))
        #expect(try !f.ledger.wasImported(sha256: "abd"))
    }
}
