import Foundation
import LembraCore
import LembraStore
import Testing

/// A payments import records every genuine payment once on every backend: equal rows in one
/// file are distinct payments, the same file twice changes nothing, a reference tells payments
/// apart across files, and a reference recorded with another amount refuses the whole file.
struct PaymentImportContractTests {
    static let now = ContractFixture.now
    static let day = Timestamp.parse("2026-11-16", timeZone: TimeZone(identifier: "America/Sao_Paulo")!)!

    static func payment(_ cents: Int64, debt: String = "d2", reference: String? = nil) -> Payment {
        Payment(debtID: debt, amount: Money(cents: cents), paidAt: day, reference: reference)
    }

    static func rows(_ payments: Payment...) -> [Numbered<Payment>] {
        payments.enumerated().map { Numbered(row: $0.offset + 2, value: $0.element) }
    }

    @Test(arguments: Backend.allCases) func twoEqualRowsAreTwoPaymentsAndTheFileTwiceIsStillTwo(_ backend: Backend) throws {
        let f = try ContractFixture(backend)   // d2 owes 50.00: two rows of 25.00 pay it
        let file = Self.rows(Self.payment(2_500), Self.payment(2_500))
        let first = try f.ledger.importPayments(file, now: Self.now)
        #expect(first.inserted == 2 && first.unchanged == 0 && first.newlyPaid == 1, "\(first)")
        #expect(try !f.debt("d2").isOpen)
        let again = try f.ledger.importPayments(file, now: Self.now)
        #expect(again.inserted == 0 && again.unchanged == 2 && again.newlyPaid == 0, "\(again)")
    }

    @Test(arguments: Backend.allCases) func aFileWithFewerEqualRowsThanRecordedAddsNothing(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        _ = try f.ledger.importPayments(Self.rows(Self.payment(1_000), Self.payment(1_000)), now: Self.now)
        let later = try f.ledger.importPayments(Self.rows(Self.payment(1_000)), now: Self.now)
        #expect(later.inserted == 0 && later.unchanged == 1)
        let more = try f.ledger.importPayments(Self.rows(Self.payment(1_000), Self.payment(1_000), Self.payment(1_000)), now: Self.now)
        #expect(more.inserted == 1 && more.unchanged == 2, "the third equal row is a third payment")
        #expect(try f.debt("d2").amount == Money(cents: 2_000))
    }

    @Test(arguments: Backend.allCases) func aReferenceTellsEqualPaymentsInLaterFilesApart(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        #expect(try f.ledger.importPayments(Self.rows(Self.payment(2_500, reference: "E1")), now: Self.now).inserted == 1)
        let later = try f.ledger.importPayments(Self.rows(Self.payment(2_500, reference: "E1"), Self.payment(2_500, reference: "E2")), now: Self.now)
        #expect(later.inserted == 1 && later.unchanged == 1 && later.newlyPaid == 1, "\(later)")
        #expect(try !f.debt("d2").isOpen)
        #expect(try f.ledger.importPayments(Self.rows(Self.payment(1_000, debt: "d1", reference: "E1")), now: Self.now).inserted == 1,
                "the same reference on another debt is another payment")
    }

    @Test(arguments: Backend.allCases) func aKnownReferenceWithAnotherAmountIsRefusedAndNothingChanges(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        _ = try f.ledger.importPayments(Self.rows(Self.payment(1_000, reference: "E1")), now: Self.now)
        let error = try #require(throws: StoreError.self) {
            try f.ledger.importPayments(Self.rows(Self.payment(500, debt: "d1"), Self.payment(1_500, reference: "E1")), now: Self.now)
        }
        #expect(error.kind == .invalid)
        #expect(error.rowErrors == [CSVError(row: 3, column: "reference",
            "already recorded for debt 'd2' with amount 10.00, not 15.00; a reference names one payment")])
        #expect(try f.debt("d1").amount == Money(cents: 10_000), "all-or-nothing: d1's row was not recorded")
    }

    @Test(arguments: Backend.allCases) func anUnknownDebtRejectsTheWholeFile(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let error = try #require(throws: StoreError.self) {
            try f.ledger.importPayments(Self.rows(Self.payment(500), Self.payment(500, debt: "ghost")), now: Self.now)
        }
        #expect(error.rowErrors == [CSVError(row: 3, column: "debt_id", "no debt 'ghost'; import debts first")])
        #expect(try f.debt("d2").amount == Money(cents: 5_000))
    }

    /// A file that gains the `reference` column re-lists a payment recorded without one: it is
    /// that payment (which takes the reference), not a second one.
    @Test(arguments: Backend.allCases) func aReferenceAddedLaterIsThePaymentRecordedWithoutOne(_ backend: Backend) throws {
        let f = try ContractFixture(backend)   // d2 owes 50.00
        _ = try f.ledger.importPayments(Self.rows(Self.payment(2_500)), now: Self.now)
        let referenced = try f.ledger.importPayments(Self.rows(Self.payment(2_500, reference: "E1")), now: Self.now)
        #expect(referenced.inserted == 0 && referenced.updated == 1 && referenced.newlyPaid == 0, "\(referenced)")
        #expect(try f.debt("d2").isOpen && f.debt("d2").amount == Money(cents: 2_500), "25.00 is still owed")
        #expect(try f.ledger.importPayments(Self.rows(Self.payment(2_500, reference: "E1")), now: Self.now).unchanged == 1)
        let conflict = try #require(throws: StoreError.self) {
            try f.ledger.importPayments(Self.rows(Self.payment(2_500, reference: "E1"), Self.payment(3_000, reference: "E1")), now: Self.now)
        }
        #expect(conflict.rowErrors.map(\.row) == [3], "the reference it took names that payment")
        let old = try f.ledger.importPayments(Self.rows(Self.payment(2_500)), now: Self.now)
        #expect(old.inserted == 0 && old.unchanged == 1, "the file without references is still the same payment: \(old)")
        #expect(try f.debt("d2").isOpen)
    }

    /// The n-th referenced row takes the n-th payment recorded without a reference; once none is
    /// left, a referenced row is a payment of its own.
    @Test(arguments: Backend.allCases) func referencedRowsTakeUnreferencedPaymentsOneEach(_ backend: Backend) throws {
        let f = try ContractFixture(backend)   // d2 owes 50.00
        _ = try f.ledger.importPayments(Self.rows(Self.payment(1_000), Self.payment(1_000)), now: Self.now)
        let file = Self.rows(Self.payment(1_000, reference: "E1"), Self.payment(1_000, reference: "E2"), Self.payment(1_000, reference: "E3"))
        let s = try f.ledger.importPayments(file, now: Self.now)
        #expect(s.inserted == 1 && s.updated == 2 && s.newlyPaid == 0, "\(s)")
        #expect(try f.debt("d2").amount == Money(cents: 2_000))
        let again = try f.ledger.importPayments(file, now: Self.now)
        #expect(again.inserted == 0 && again.updated == 0 && again.unchanged == 3, "\(again)")
        for rows in [Self.rows(Self.payment(1_000), Self.payment(1_000, reference: "E1")),
                     Self.rows(Self.payment(1_000, reference: "E1"), Self.payment(1_000))] {
            let mixed = try f.ledger.importPayments(rows, now: Self.now)
            #expect(mixed.inserted == 0 && mixed.unchanged == 2, "\(mixed)")
        }
        #expect(try f.debt("d2").amount == Money(cents: 2_000))
    }
}
