import Foundation
import LembraCore
import LembraStore
import Testing

/// `pay` and `balance` on either ledger: a payment that settles a debt cancels its pending
/// reminders and queues one thank-you; a partial one leaves the rest owed.
struct PaymentContractTests {
    static let now = ContractFixture.now

    @Test(arguments: Backend.allCases)
    func payingCancelsPendingRemindersAndQueuesOneThankYou(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let claimed = try #require(try f.claim(f.message(["d1"])).first)
        #expect(try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now))
        #expect(try f.ledger.sendableChannels(now: Self.now).isEmpty, "the claimed reminder of a paid debt is cancelled")
        let history = try f.ledger.history(id: "d1")
        #expect(history.contains { $0.summary.contains("attempt=\(claimed)") && $0.summary.contains("state=cancelled") && $0.summary.contains("reason=paid") })
        #expect(history.contains { $0.kind == "payment" && $0.summary == "amount_cents=10000 source=pay" })
        let c = try #require(try f.ledger.dueCases(now: Self.now).first)
        #expect(c.thanksDue == ["d1"])
        #expect(c.debts.first { $0.id == "d1" }?.isOpen == false)
        #expect(try f.claim(f.message(["d1"], step: "on_paid.thanks", kind: .thanks)).count == 1)
        #expect(try f.planned()?.thanksDue.isEmpty == true)
    }

    @Test(arguments: Backend.allCases)
    func payingAPaidOrUnknownDebtIsRefused(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        #expect(try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now))
        let twice = try #require(throws: StoreError.self) { try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now) }
        #expect(twice.kind == .invalid && twice.description == "pay: debt 'd1' is already paid")
        let unknown = try #require(throws: StoreError.self) { try f.ledger.pay(debtID: "nope", amount: nil, at: Self.now, now: Self.now) }
        #expect(unknown.kind == .notFound && unknown.description == "pay: no debt 'nope'")
        #expect(try f.ledger.history(id: "d1").filter { $0.kind == "payment" }.count == 1, "the refused payment recorded nothing")
    }

    @Test(arguments: Backend.allCases)
    func aPartialPaymentLeavesTheBalanceOpen(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        #expect(try f.ledger.balance(of: "d1")?.owed == Money(cents: 10_000))
        #expect(try !f.ledger.pay(debtID: "d1", amount: Money(cents: 4_000), at: Self.now, now: Self.now))
        let d1 = try #require(try f.planned()?.debts.first { $0.id == "d1" })
        #expect(d1.isOpen && d1.amount == Money(cents: 6_000))
        #expect(try f.ledger.balance(of: "d1").map { [$0.owed.cents: $0.currency] } == [6_000: "BRL"])
        #expect(try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now), "the rest settles it")
        #expect(try f.ledger.balance(of: "d1") == nil, "no open debt left to pay")
        #expect(try f.ledger.balance(of: "nope") == nil)
    }

    /// A payment lowers the customer's overdue total, which feeds the segment: every open debt
    /// of the customer is planned again at once, not only the one paid.
    @Test(arguments: Backend.allCases)
    func aPartialPaymentBringsTheCustomersOtherDebtsBack(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let later = Self.now.addingTimeInterval(30 * 86_400)
        try f.saveChecks(["d1": later, "d2": later])
        #expect(try f.ledger.dueCases(now: Self.now).isEmpty)
        #expect(try !f.ledger.pay(debtID: "d1", amount: Money(cents: 1_000), at: Self.now, now: Self.now))
        #expect(try f.ledger.dueCases(now: Self.now).first?.debts.filter(\.isOpen).map(\.id).sorted() == ["d1", "d2"])
    }
}
