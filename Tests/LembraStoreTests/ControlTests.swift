import Foundation
import LembraCore
import LembraStore
import Testing

/// Pause, opt-out, dispute and a payment promise stop what was claimed but not yet sent, as a payment does, on a
/// real ledger: a retry or a claim waiting for a tick is cancelled with the control as reason.
@Suite struct ControlTests {
    static let now = LedgerFixture.now
    static let later = now.addingTimeInterval(2 * 3600)

    enum Control: String, CaseIterable { case pause, optOut = "opted_out", dispute, promise = "promised" }

    func apply(_ control: Control, _ f: LedgerFixture) throws {
        switch control {
        case .pause: try f.ledger.pause(customerID: "c1", through: nil, reason: "travelling", now: Self.now)
        case .optOut: try f.ledger.optOut(customerID: "c1", reason: "asked by phone", now: Self.now)
        case .dispute: try f.ledger.dispute(debtID: "d1", reason: "says it was paid", now: Self.now)
        case .promise:
            #expect(try f.ledger.promise(debtID: "d1", dueDate: CalendarDate(iso: "2026-11-17")!, stepID: "forgetful.1d",
                                         through: CalendarDate(iso: "2026-11-25")!, now: Self.now) == .recorded)
        }
    }

    /// The reviewer's case: the first send got a 503, the retry waits; then the control.
    @Test(arguments: Control.allCases)
    func aPendingRetryIsCancelled(control: Control) throws {
        let f = try LedgerFixture()
        let id = try #require(try f.claim(f.message(["d1"])).first)
        _ = try f.ledger.record([], markingSending: [id], now: Self.now)
        try f.ledger.record([(id, .retry(at: Self.now.addingTimeInterval(300), reason: "step=http reply_code=503"))], now: Self.now)
        try apply(control, f)
        #expect(try f.ledger.sendable(now: Self.later).isEmpty, "the retry must not go out")
        #expect(try f.ledger.history(id: "d1").contains {
            $0.summary.contains("attempt=\(id)") && $0.summary.contains("state=cancelled") && $0.summary.contains("reason=\(control.rawValue)")
        })
    }

    /// A claim a running tick holds in memory: the `sending` mark skips it once cancelled.
    @Test(arguments: Control.allCases)
    func aClaimNotYetSentIsCancelledAndNeverMarked(control: Control) throws {
        let f = try LedgerFixture()
        let id = try #require(try f.claim(f.message(["d1"])).first)
        try apply(control, f)
        #expect(try f.ledger.record([], markingSending: [id], now: Self.now).isEmpty)
        #expect(try f.ledger.interrupted(now: Self.now).isEmpty)
    }

    @Test func aSendInFlightIsLeftToFinish() throws {
        let f = try LedgerFixture()
        let id = try #require(try f.claim(f.message(["d1"])).first)
        _ = try f.ledger.record([], markingSending: [id], now: Self.now)
        try f.ledger.optOut(customerID: "c1", reason: "asked", now: Self.now)
        #expect(try f.ledger.interrupted(now: Self.now).map(\.id) == [id], "it may be on the wire: its outcome is recorded as usual")
    }

    /// A retry the server refused (a reply code) never reached the customer: its step goes back
    /// to the planner, which holds it while paused and plans it again after resume.
    @Test func aCancelledStepThatNeverArrivedIsGivenBack() throws {
        let f = try LedgerFixture()
        let id = try #require(try f.claim(f.message(["d1"])).first)
        _ = try f.ledger.record([], markingSending: [id], now: Self.now)
        try f.ledger.record([(id, .retry(at: Self.now.addingTimeInterval(300), reason: "step=http reply_code=503", mayHaveArrived: false))],
                            now: Self.now)
        #expect(try f.ledger.pause(customerID: "c1", through: nil, reason: "travelling", now: Self.now) == 1)
        let key = StepKey(debtID: "d1", dueDate: CalendarDate(iso: "2026-11-17")!, stepID: "forgetful.1d")
        let c = try #require(try f.ledger.dueCases(now: Self.now).first, "its debt is looked at again at the next tick")
        #expect(!c.ledger.contains(key))
        #expect(c.pausedThrough == .endOfTime)
        try f.ledger.resume(customerID: "c1", now: Self.later)
        let again = try #require(try f.claim(f.message(["d1"])).first, "the step can be claimed again")
        let history = try f.ledger.history(id: "d1").map(\.summary)
        #expect(history.contains { $0.contains("attempt=\(id)") && $0.contains("state=cancelled") && $0.contains("reason=paused") },
                "the cancelled attempt stays in the debt's history\n\(history)")
        #expect(history.contains { $0.contains("attempt=\(again)") && $0.contains("state=claimed") })
        #expect(try f.ledger.history(id: "c1").first { $0.summary.contains("attempt=\(id)") }?.debtIDs == ["d1"])
    }

    /// A retry after a timeout may be at the receiver already: sending that step again under a new
    /// id could charge twice, so its step stays taken.
    @Test func aCancelledStepThatMayHaveArrivedStaysTaken() throws {
        let f = try LedgerFixture()
        let id = try #require(try f.claim(f.message(["d1"])).first)
        _ = try f.ledger.record([], markingSending: [id], now: Self.now)
        try f.ledger.record([(id, .retry(at: Self.now.addingTimeInterval(300), reason: "step=timeout", mayHaveArrived: true))], now: Self.now)
        #expect(try f.ledger.optOut(customerID: "c1", reason: "asked", now: Self.now) == 1)
        try f.ledger.optIn(customerID: "c1", now: Self.later)
        #expect(try f.claim(f.message(["d1"])).isEmpty)
        #expect(try f.ledger.history(id: "d1").contains { $0.summary.contains("attempt=\(id)") && $0.summary.contains("reason=opted_out") })
    }

    /// A reminder consolidating d1 and d2: disputing d1 cancels it, and d2 (not disputed) gets
    /// its step back at once instead of losing it.
    @Test func disputingOneDebtGivesTheOtherItsStepBack() throws {
        let f = try LedgerFixture()
        let id = try #require(try f.claim(f.message(["d1", "d2"])).first)
        try f.ledger.saveChecks([CustomerPlan(customerID: "c1", segment: "forgetful").with(["d1": nil, "d2": nil])], now: Self.now)
        #expect(try f.ledger.dispute(debtID: "d1", reason: "says it was paid", now: Self.now) == 1)
        #expect(try f.ledger.dueCases(now: Self.now).first?.disputed == ["d1"])
        #expect(try f.claim(f.message(["d2"])).count == 1)
        #expect(try f.ledger.history(id: "d2").contains { $0.summary.contains("attempt=\(id)") && $0.summary.contains("reason=disputed") })
    }

    @Test func payingOneDebtGivesTheOtherItsStepBack() throws {
        let f = try LedgerFixture()
        _ = try #require(try f.claim(f.message(["d1", "d2"])).first)
        try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now)
        #expect(try f.claim(f.message(["d2"])).count == 1, "d2 is still owed: its step was never sent")
    }

    /// A thank-you claimed but not sent when the customer opts out is cancelled, and is pending
    /// again, so it goes out after opt-in like one the planner held.
    @Test func optOutCancelsAPendingThankYouAndOptInBringsItBack() throws {
        let f = try LedgerFixture()
        try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now)
        let thanks = try #require(try f.claim(f.message(["d1"], step: "on_paid.thanks", kind: .thanks)).first)
        #expect(try f.ledger.dueCases(now: Self.now).first?.thanksDue.isEmpty == true)
        #expect(try f.ledger.optOut(customerID: "c1", reason: "asked", now: Self.now) == 1)
        #expect(try f.ledger.history(id: "d1").contains { $0.summary.contains("attempt=\(thanks)") && $0.summary.contains("reason=opted_out") })
        #expect(try f.ledger.dueCases(now: Self.now).first?.thanksDue == ["d1"])
        try f.ledger.optIn(customerID: "c1", now: Self.later)
        #expect(try f.claim(f.message(["d1"], step: "on_paid.thanks", kind: .thanks)).count == 1)
    }

    /// Both debts paid while the customer was paused (or opted out): the planner held the
    /// thank-yous with no next check of their own (only an event ends that hold). Resume and
    /// opt-in must bring them back, not only the open debts.
    @Test(arguments: [true, false])
    func resumeAndOptInBringBackPendingThankYous(pause: Bool) throws {
        let f = try LedgerFixture()
        if pause {
            try f.ledger.pause(customerID: "c1", through: nil, reason: "travelling", now: Self.now)
        } else {
            try f.ledger.optOut(customerID: "c1", reason: "asked", now: Self.now)
        }
        try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now)
        try f.ledger.pay(debtID: "d2", amount: nil, at: Self.now, now: Self.now)
        // What the planner saves when it holds both thank-yous until an event.
        try f.ledger.saveChecks([CustomerPlan(customerID: "c1", segment: "forgetful").with(["d1": nil, "d2": nil])], now: Self.now)
        #expect(try f.ledger.dueCustomerIDs(now: Self.later).isEmpty)
        if pause {
            try f.ledger.resume(customerID: "c1", now: Self.later)
        } else {
            try f.ledger.optIn(customerID: "c1", now: Self.later)
        }
        let c = try #require(try f.ledger.dueCases(now: Self.later).first, "the pending thank-yous are looked at again")
        #expect(c.thanksDue == ["d1", "d2"])
    }
}

extension CustomerPlan {
    /// This plan with the given next checks (nil: only an event brings the debt back).
    func with(_ checks: [String: Date?]) -> CustomerPlan {
        var p = self
        p.nextCheck = checks
        return p
    }
}
