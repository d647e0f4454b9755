import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import Testing
import TestSupport

/// A debts import that changes an open debt's amount or due date (a renegotiation) cancels the
/// reminders claimed for the old terms and not yet sent, and gives their steps back unless a
/// try may have arrived; a change that is not one cancels nothing. On a real ledger: `c1` owing
/// `d1` (100.00, due 17/11) and `d2`.
@Suite struct RenegotiationTests {
    static let now = LedgerFixture.now
    static let due = CalendarDate(iso: "2026-11-17")!

    func reimport(_ f: LedgerFixture, cents: Int64 = 10_000, due: CalendarDate = Self.due, description: String = "") throws {
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: cents), dueDate: due,
                                                                   description: description))], now: Self.now)
    }

    /// A reminder for `d1` claimed at `forgetful.1d`, left `claimed` or, after a refused try, `retry`.
    func pending(_ f: LedgerFixture, retry: Bool, mayHaveArrived: Bool = false) throws -> String {
        let id = try #require(try f.claim(f.message(["d1"])).first)
        if retry {
            _ = try f.ledger.record([], markingSending: [id], now: Self.now)
            try f.ledger.record([(id, .retry(at: Self.now.addingTimeInterval(300), reason: "step=rcpt reply_code=451", mayHaveArrived: mayHaveArrived))],
                                now: Self.now)
        }
        return id
    }

    @Test(arguments: [(true, false), (false, false), (true, true), (false, true)])
    func newTermsCancelWhatWasClaimedForTheOldOnes(retry: Bool, newDueDate: Bool) throws {
        let f = try LedgerFixture()
        let id = try pending(f, retry: retry)
        let version = try f.ledger.controlsVersion()
        try reimport(f, cents: newDueDate ? 10_000 : 15_000, due: newDueDate ? CalendarDate(iso: "2026-12-01")! : Self.due)
        #expect(try f.ledger.sendable(now: Self.now.addingTimeInterval(3600)).isEmpty, "nothing for the old terms goes out")
        #expect(try f.ledger.controlsVersion() > version, "a tick that read the old terms plans again")
        let history = try f.ledger.history(id: "d1")
        #expect(history.contains { $0.summary.contains("attempt=\(id)") && $0.summary.contains("state=cancelled") && $0.summary.contains("reason=renegotiated") },
                "\(history.map(\.summary))")
        #expect(history.contains { $0.kind == "renegotiated" && $0.summary.contains("was_amount_cents=10000") && $0.summary.contains("was_due_date=2026-11-17") })
        let c = try #require(try f.ledger.dueCases(now: Self.now).first { $0.customer.id == "c1" }, "planned again at the next tick")
        #expect(c.ledger.isEmpty, "the step never reached the customer: it is given back")
        #expect(c.debts.first { $0.id == "d1" }?.amount == Money(cents: newDueDate ? 10_000 : 15_000))
    }

    /// A try that may have arrived keeps its step, as for any cancellation: a new attempt would
    /// carry a new id the receiver could not deduplicate on. The ladder goes on.
    @Test func aStepThatMayHaveArrivedStaysTaken() throws {
        let f = try LedgerFixture()
        let id = try pending(f, retry: true, mayHaveArrived: true)
        try reimport(f, cents: 12_000)
        #expect(try f.ledger.history(id: "d1").contains { $0.summary.contains("attempt=\(id)") && $0.summary.contains("reason=renegotiated") })
        #expect(try f.claim(f.message(["d1"])).isEmpty)
    }

    /// The same terms (or another description) are no renegotiation: nothing is cancelled.
    @Test func theSameTermsCancelNothing() throws {
        let f = try LedgerFixture()
        let id = try pending(f, retry: false)
        let version = try f.ledger.controlsVersion()
        try reimport(f, description: "Revisão de freios")
        #expect(try f.ledger.sendable(now: Self.now).map(\.id) == [id])
        #expect(try f.ledger.controlsVersion() == version)
        #expect(try !f.ledger.history(id: "d1").contains { $0.kind == "renegotiated" })
    }

    /// What a payment or a debts import changes feeds the customer's segment (overdue_total,
    /// late_payments_12m...): every open debt of the customer is planned again at once, not
    /// only the one named.
    @Test(arguments: ["partial payment", "history import"])
    func aChangeToOneDebtBringsTheCustomersOthersBack(change: String) throws {
        let f = try LedgerFixture()
        let later = Self.now.addingTimeInterval(30 * 86_400)
        try f.ledger.saveChecks([CustomerPlan(customerID: "c1", segment: "forgetful").with(["d1": later, "d2": later])], now: Self.now)
        #expect(try f.ledger.dueCustomerIDs(now: Self.now).isEmpty)
        if change == "partial payment" {
            try f.ledger.pay(debtID: "d1", amount: Money(cents: 1_000), at: Self.now, now: Self.now)
        } else {
            _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "h1", customerID: "c1", amount: Money(cents: 500),
                                                                       dueDate: CalendarDate(iso: "2026-10-01")!, paidAt: Self.now))], now: Self.now)
        }
        let due = try f.ledger.pool.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM debts WHERE next_check_at <= ? ORDER BY id", arguments: [Self.now.timeIntervalSince1970])
        }
        #expect(due == ["d1", "d2"])
    }
}
