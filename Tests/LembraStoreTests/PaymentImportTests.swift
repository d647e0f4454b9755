import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import Testing
import TestSupport

/// A payments import records every genuine payment once: equal rows in one file are distinct
/// payments, the same file twice changes nothing, and a reference tells payments apart across files.
struct PaymentImportTests {
    static let now = LedgerFixture.now
    static let day = Timestamp.parse("2026-11-16", timeZone: TimeZone(identifier: "America/Sao_Paulo")!)!

    static func payment(_ cents: Int64, debt: String = "d2", reference: String? = nil) -> Payment {
        Payment(debtID: debt, amount: Money(cents: cents), paidAt: day, reference: reference)
    }

    static func rows(_ payments: Payment...) -> [Numbered<Payment>] {
        payments.enumerated().map { Numbered(row: $0.offset + 2, value: $0.element) }
    }

    func d2(_ f: LedgerFixture) throws -> Debt {
        try #require(try f.ledger.dueCases(now: Self.now).flatMap(\.debts).first { $0.id == "d2" })
    }

    @Test func twoEqualRowsInOneFileAreTwoPaymentsAndTheFileTwiceIsStillTwo() throws {
        let f = try LedgerFixture()   // d2 owes 50.00: two rows of 25.00 pay it
        let file = Self.rows(Self.payment(2_500), Self.payment(2_500))
        let first = try f.ledger.importPayments(file, now: Self.now)
        #expect(first.inserted == 2 && first.unchanged == 0 && first.newlyPaid == 1, "\(first)")
        #expect(try !d2(f).isOpen)
        let again = try f.ledger.importPayments(file, now: Self.now)
        #expect(again.inserted == 0 && again.unchanged == 2 && again.newlyPaid == 0, "\(again)")
        #expect(try f.ledger.history(id: "d2").filter { $0.kind == "payment" }.count == 2)
    }

    @Test func aFileWithFewerEqualRowsThanRecordedAddsNothing() throws {
        let f = try LedgerFixture()
        _ = try f.ledger.importPayments(Self.rows(Self.payment(1_000), Self.payment(1_000)), now: Self.now)
        let later = try f.ledger.importPayments(Self.rows(Self.payment(1_000)), now: Self.now)
        #expect(later.inserted == 0 && later.unchanged == 1)
        let more = try f.ledger.importPayments(Self.rows(Self.payment(1_000), Self.payment(1_000), Self.payment(1_000)), now: Self.now)
        #expect(more.inserted == 1 && more.unchanged == 2, "the third equal row is a third payment")
        #expect(try d2(f).amount == Money(cents: 2_000))
    }

    @Test func aReferenceTellsEqualPaymentsInLaterFilesApart() throws {
        let f = try LedgerFixture()
        #expect(try f.ledger.importPayments(Self.rows(Self.payment(2_500, reference: "E1")), now: Self.now).inserted == 1)
        let later = try f.ledger.importPayments(Self.rows(Self.payment(2_500, reference: "E1"), Self.payment(2_500, reference: "E2")), now: Self.now)
        #expect(later.inserted == 1 && later.unchanged == 1 && later.newlyPaid == 1, "\(later)")
        #expect(try !d2(f).isOpen)
        // The same reference on another debt is another payment (one transfer paying two debts).
        #expect(try f.ledger.importPayments(Self.rows(Self.payment(1_000, debt: "d1", reference: "E1")), now: Self.now).inserted == 1)
    }

    @Test func aKnownReferenceWithAnotherAmountIsRefusedAndNothingChanges() throws {
        let f = try LedgerFixture()
        _ = try f.ledger.importPayments(Self.rows(Self.payment(1_000, reference: "E1")), now: Self.now)
        let error = try #require(throws: StoreError.self) {
            try f.ledger.importPayments(Self.rows(Self.payment(500, debt: "d1"), Self.payment(1_500, reference: "E1")), now: Self.now)
        }
        #expect(error.rowErrors == [CSVError(row: 3, column: "reference",
            "already recorded for debt 'd2' with amount 10.00, not 15.00; a reference names one payment")])
        #expect(try f.ledger.history(id: "d1").filter { $0.kind == "payment" }.isEmpty, "all-or-nothing")
    }

    /// A file that gains the `reference` column re-lists a payment recorded without one: it is
    /// that payment (which takes the reference), not a second one that would mark d2 paid while
    /// 25.00 is still owed.
    @Test func aReferenceAddedLaterIsThePaymentRecordedWithoutOne() throws {
        let f = try LedgerFixture()   // d2 owes 50.00
        _ = try f.ledger.importPayments(Self.rows(Self.payment(2_500)), now: Self.now)
        let referenced = try f.ledger.importPayments(Self.rows(Self.payment(2_500, reference: "E1")), now: Self.now)
        #expect(referenced.inserted == 0 && referenced.updated == 1 && referenced.newlyPaid == 0, "\(referenced)")
        #expect(try d2(f).isOpen && d2(f).amount == Money(cents: 2_500), "25.00 is still owed")
        #expect(try f.ledger.importPayments(Self.rows(Self.payment(2_500, reference: "E1")), now: Self.now).unchanged == 1,
                "the reference is now recorded")
        let conflict = try #require(throws: StoreError.self) {
            try f.ledger.importPayments(Self.rows(Self.payment(2_500, reference: "E1"), Self.payment(3_000, reference: "E1")), now: Self.now)
        }
        #expect(conflict.rowErrors.map(\.row) == [3], "the reference it took names that payment")
        let old = try f.ledger.importPayments(Self.rows(Self.payment(2_500)), now: Self.now)
        #expect(old.inserted == 0 && old.unchanged == 1, "the file without references is still the same payment: \(old)")
        #expect(try f.ledger.history(id: "d2").filter { $0.kind == "payment" }.count == 1)
        #expect(try d2(f).isOpen)
    }

    /// A payment recorded by `pay` is found the same way.
    @Test func aReferencedRowIsThePaymentRecordedByPay() throws {
        let f = try LedgerFixture()
        try f.ledger.pay(debtID: "d2", amount: Money(cents: 2_500), at: Self.day, now: Self.now)
        let s = try f.ledger.importPayments(Self.rows(Self.payment(2_500, reference: "E1")), now: Self.now)
        #expect(s.inserted == 0 && s.updated == 1 && s.newlyPaid == 0, "\(s)")
        #expect(try d2(f).isOpen)
    }

    /// The n-th referenced row like them takes the n-th payment recorded without a reference;
    /// once none is left, a referenced row is a payment of its own.
    @Test func referencedRowsTakeUnreferencedPaymentsOneEach() throws {
        let f = try LedgerFixture()   // d2 owes 50.00
        _ = try f.ledger.importPayments(Self.rows(Self.payment(1_000), Self.payment(1_000)), now: Self.now)
        let file = Self.rows(Self.payment(1_000, reference: "E1"), Self.payment(1_000, reference: "E2"), Self.payment(1_000, reference: "E3"))
        let s = try f.ledger.importPayments(file, now: Self.now)
        #expect(s.inserted == 1 && s.updated == 2 && s.newlyPaid == 0, "\(s)")
        #expect(try d2(f).amount == Money(cents: 2_000))
        let again = try f.ledger.importPayments(file, now: Self.now)
        #expect(again.inserted == 0 && again.updated == 0 && again.unchanged == 3, "\(again)")
        // Rows with and without a reference in one file are each their own payment, in any order.
        for rows in [Self.rows(Self.payment(1_000), Self.payment(1_000, reference: "E1")),
                     Self.rows(Self.payment(1_000, reference: "E1"), Self.payment(1_000))] {
            let mixed = try f.ledger.importPayments(rows, now: Self.now)
            #expect(mixed.inserted == 0 && mixed.unchanged == 2, "\(mixed)")
        }
        #expect(try d2(f).amount == Money(cents: 2_000))
    }

    /// A ledger from before v5 (payments without a reference column) upgrades, keeps its payments
    /// and still recognises a file it imported then.
    @Test func aLedgerFromBeforeReferencesUpgrades() throws {
        let legacy = try OldLedger(upTo: "v4")
        let (path, old) = (legacy.path, legacy.queue)
        let t = Self.now.timeIntervalSince1970
        try old.write { db in
            try db.execute(sql: """
                INSERT INTO customers (id, name, email, created_at, updated_at) VALUES ('c1', 'Ana', 'ana@example.com', ?, ?);
                INSERT INTO debts (id, customer_id, amount_cents, paid_cents, due_date, next_check_at, created_at, updated_at)
                  VALUES ('d2', 'c1', 5000, 2500, '2026-11-16', ?, ?, ?);
                INSERT INTO payments (debt_id, amount_cents, paid_at, source, recorded_at) VALUES ('d2', 2500, ?, 'import', ?);
                """, arguments: [t, t, t, t, t, Self.day.timeIntervalSince1970, t])
        }
        try old.close()

        let ledger = try SQLiteLedger(path: path)
        let again = try ledger.importPayments(Self.rows(Self.payment(2_500)), now: Self.now)
        #expect(again.unchanged == 1 && again.inserted == 0)
        let second = try ledger.importPayments(Self.rows(Self.payment(2_500), Self.payment(2_500)), now: Self.now)
        #expect(second.inserted == 1 && second.newlyPaid == 1)
    }
}
