import Foundation
import LembraCore
import LembraStore
import Testing

/// The planner's reads on every backend, and the re-plan when the policy changes.
struct PlanningContractTests {
    static let now = ContractFixture.now

    /// Next checks computed under one policy may come too late under another: when the policy
    /// the tick plans with is not the one the ledger was planned under, every open debt is due again.
    @Test(arguments: Backend.allCases) func anotherPolicyHasEveryOpenDebtPlannedAgainOnce(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        #expect(try f.ledger.isPlanned(under: 0), "a new ledger was planned under no policy yet")
        #expect(try !f.ledger.planAgainIfPolicyChanged(fingerprint: 41, now: Self.now), "just imported: every debt is due already")
        #expect(try f.ledger.isPlanned(under: 41))
        var plan = CustomerPlan(customerID: "c1", segment: "forgetful")
        plan.nextCheck = ["d1": Self.now.addingTimeInterval(30 * 86_400), "d2": nil]
        _ = try f.claim([], saving: [plan])
        #expect(try f.ledger.dueCases(now: Self.now).isEmpty)
        #expect(try f.ledger.isPlanned(under: 41) && !f.ledger.isPlanned(under: 42))
        #expect(try !f.ledger.planAgainIfPolicyChanged(fingerprint: 41, now: Self.now), "the same policy: nothing to do")
        #expect(try f.ledger.dueCases(now: Self.now).isEmpty)
        #expect(try f.ledger.planAgainIfPolicyChanged(fingerprint: 42, now: Self.now))
        #expect(try f.ledger.dueCases(now: Self.now).first?.debts.count == 2,
                "a debt held for good (nil) is looked at too: the new policy may have a step for it")
        #expect(try f.ledger.isPlanned(under: 42))
        #expect(try !f.second().planAgainIfPolicyChanged(fingerprint: 42, now: Self.now), "kept in the ledger, for every process")
    }

    /// `preview` reads every customer with an open debt or a thank-you to send, whatever their
    /// next check; the planner's view carries the flags and the steps already in the ledger.
    @Test(arguments: Backend.allCases) func openCasesAreEveryCustomerWithSomethingToSend(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        _ = try f.ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c2", name: "Bia", email: "bia@example.com")),
                                          Numbered(row: 3, value: Customer(id: "c3", name: "Caio", email: "caio@example.com"))], now: Self.now)
        _ = try f.ledger.importDebts([
            Numbered(row: 2, value: Debt(id: "d3", customerID: "c2", amount: Money(cents: 700), dueDate: CalendarDate(iso: "2026-11-10")!)),
            Numbered(row: 3, value: Debt(id: "d4", customerID: "c3", amount: Money(cents: 700), dueDate: CalendarDate(iso: "2026-01-10")!, paidAt: Self.now)),
        ], now: Self.now)
        try f.importPayment(700, debt: "d3")
        let id = try f.claimOne(["d1"])
        var plan = CustomerPlan(customerID: "c1", segment: "forgetful")
        plan.nextCheck = ["d1": Self.nextWeek, "d2": Self.nextWeek]
        _ = try f.claim([], saving: [plan])
        let cases = try f.ledger.openCases(now: Self.now)
        #expect(cases.map(\.customer.id) == ["c1", "c2"], "c3's only debt was paid before it was imported")
        let c1 = try #require(cases.first)
        #expect(c1.customer == Customer(id: "c1", name: "Ana", email: "ana@example.com"))
        #expect(c1.lastSegment == "forgetful" && cases.last?.lastSegment == nil, "the segment saved, none before a first plan")
        #expect(c1.ledger == [StepKey(debtID: "d1", dueDate: CalendarDate(iso: "2026-11-17")!, stepID: "forgetful.1d")])
        #expect(c1.recentContacts == [Self.now] && !c1.optedOut && c1.pausedThrough == nil && c1.disputed.isEmpty)
        #expect(cases.last?.thanksDue == ["d3"])
        #expect(try f.sendable() == [id])
    }

    static let nextWeek = now.addingTimeInterval(7 * 86_400)
}
