import Foundation
import LembraCore
import LembraStore
import Testing

/// The promise on every backend: one reminder per (debt, due date, step), ever, across ticks,
/// processes and daemons; and a claim writes its plans' skipped steps and next checks with it.
struct ClaimContractTests {
    static let now = ContractFixture.now

    @Test(arguments: Backend.allCases) func aStepCanBeClaimedOnlyOnce(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        #expect(try f.claim(f.message(["d1"])).count == 1)
        #expect(try f.claim(f.message(["d1"])).isEmpty)
        #expect(try f.claim(f.message(["d1"], step: "forgetful.4d")).count == 1, "another step is another reminder")
    }

    @Test(arguments: Backend.allCases) func anotherProcessCannotClaimTheSameStep(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let other = try f.second()
        let m = try f.message(["d1"])
        #expect(try f.claim(m).count == 1)
        #expect(try f.claim(m, on: other).isEmpty)
    }

    @Test(arguments: Backend.allCases) func aConsolidatedMessageIsNotClaimedIfAnyOfItsStepsWas(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        #expect(try f.claim(f.message(["d1"])).count == 1)
        #expect(try f.claim(f.message(["d1", "d2"])).isEmpty)
        #expect(try f.claim(f.message(["d2"])).count == 1)
    }

    /// A message whose later step is taken leaves nothing behind: not its attempt, nor its
    /// earlier step, which stays free.
    @Test(arguments: Backend.allCases) func aMessageWhoseLaterStepIsTakenLeavesNothingBehind(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let first = try f.claimOne(["d1"])
        #expect(try f.claim(f.message(["d2", "d1"])).isEmpty)
        #expect(try f.sendable() == [first])
        #expect(try f.steps().map(\.debtID) == ["d1"])
        #expect(try f.claim(f.message(["d2"])).count == 1, "the step given back is free")
    }

    @Test(arguments: Backend.allCases) func supersededStepsAreRecordedAsSkippedAndNeverClaimedAgain(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        var m = try f.message(["d1"], step: "forgetful.4d")
        let older = StepKey(debtID: "d1", dueDate: CalendarDate(iso: "2026-11-17")!, stepID: "forgetful.1d")
        m.superseded = [older]
        let id = try #require(try f.claim(m).first)
        #expect(try f.claim(f.message(["d1"], step: "forgetful.1d")).isEmpty)
        #expect(try f.steps().contains(older))
        #expect(try f.sendable() == [id], "the superseded step is recorded, not sent")
    }

    /// A request the composer could not send (no address) is written `skipped`: its step is
    /// taken, and it is neither claimed nor sent.
    @Test(arguments: Backend.allCases) func aSkippedRequestTakesItsStepWithoutBeingSent(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let m = try f.message(["d1"])
        #expect(try f.claim([f.request(m, skip: "no_address")]).isEmpty)
        #expect(try f.steps().map(\.stepID) == ["forgetful.1d"])
        #expect(try f.sendable().isEmpty)
        #expect(try f.claim(m).isEmpty)
    }

    /// The claim's commit also holds the plans: next checks (the customer is not due again
    /// until then), holds, and the steps the plans give up for good.
    @Test(arguments: Backend.allCases) func aClaimSavesItsPlansNextChecksAndSkippedSteps(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        var plan = CustomerPlan(customerID: "c1", segment: "forgetful")
        plan.nextCheck = ["d1": Self.now.addingTimeInterval(86_400), "d2": Self.now.addingTimeInterval(2 * 86_400)]
        let expired = StepKey(debtID: "d2", dueDate: CalendarDate(iso: "2026-11-16")!, stepID: "forgetful.0d")
        plan.skipped = [SkippedStep(message: try f.message(["d2"], step: "forgetful.0d"), reason: .expired)]
        let id = try #require(try f.claim([f.request(f.message(["d1"]))], saving: [plan]).first)
        #expect(try f.ledger.dueCases(now: Self.now).isEmpty, "no debt is due before its next check")
        #expect(try f.ledger.dueCases(now: Self.now.addingTimeInterval(86_400)).map(\.customer.id) == ["c1"])
        #expect(try f.steps().contains(expired))
        #expect(try f.sendable() == [id])
    }

    /// A thank-you claimed is no longer pending.
    @Test(arguments: Backend.allCases) func aClaimedThankYouIsNoLongerDue(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        try f.importPayment(10_000)
        #expect(try f.ledger.dueCases(now: Self.now).first?.thanksDue == ["d1"])
        let thanks = try f.message(["d1"], step: "thanks", kind: .thanks)
        #expect(try f.claim(thanks).count == 1)
        #expect(try f.ledger.dueCases(now: Self.now).first?.thanksDue.isEmpty == true)
    }

    /// The due customers: those with a check due by `now`, each once.
    @Test(arguments: Backend.allCases) func theDueCustomersAreThoseWithACheckDue(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        _ = try f.ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c2", name: "Bia", email: "bia@example.com"))], now: Self.now)
        #expect(try f.ledger.dueCustomerIDs(now: Self.now).sorted() == ["c1"], "c2 owes nothing")
        #expect(try f.ledger.dueCustomerIDs(now: Self.now.addingTimeInterval(-1)).isEmpty, "nothing is due before it was imported")
    }
}
