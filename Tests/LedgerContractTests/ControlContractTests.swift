import Foundation
import LembraCore
import LembraStore
import Testing

/// Pause, opt-out, dispute and a payment promise stop what was claimed but not yet sent, in their
/// own commit, on either ledger: a retry or a claim waiting for a tick is cancelled with the
/// control as reason, and its step goes back to the planner unless a try may have arrived.
struct ControlContractTests {
    static let now = ContractFixture.now
    static let later = now.addingTimeInterval(2 * 3600)

    enum Control: String, CaseIterable, Sendable { case pause = "paused", optOut = "opted_out", dispute = "disputed", promise = "promised" }

    func apply(_ control: Control, _ f: ContractFixture) throws {
        switch control {
        case .pause: _ = try f.ledger.pause(customerID: "c1", through: nil, reason: "travelling", now: Self.now)
        case .optOut: _ = try f.ledger.optOut(customerID: "c1", reason: "asked by phone", now: Self.now)
        case .dispute: _ = try f.ledger.dispute(debtID: "d1", reason: "says it was paid", now: Self.now)
        case .promise:
            #expect(try f.ledger.promise(debtID: "d1", dueDate: ContractFixture.d1Due, stepID: "forgetful.1d",
                                         through: CalendarDate(iso: "2026-11-25")!, now: Self.now) == .recorded)
        }
    }

    /// The first send got a 503 and the retry waits; then the control.
    @Test(arguments: Backend.allCases, Control.allCases)
    func aPendingRetryIsCancelled(_ backend: Backend, control: Control) throws {
        let f = try ContractFixture(backend)
        let id = try f.attempt(f.message(["d1"]), .retry(at: Self.now.addingTimeInterval(300), reason: "step=http reply_code=503"))
        try apply(control, f)
        #expect(try f.ledger.sendableChannels(now: Self.later).isEmpty, "the retry must not go out")
        #expect(try f.ledger.history(id: "d1").contains {
            $0.summary.contains("attempt=\(id)") && $0.summary.contains("state=cancelled") && $0.summary.contains("reason=\(control.rawValue)")
        })
    }

    /// A claim a running tick holds in memory: the `sending` mark skips it once cancelled.
    @Test(arguments: Backend.allCases, Control.allCases)
    func aClaimNotYetSentIsCancelledAndNeverMarked(_ backend: Backend, control: Control) throws {
        let f = try ContractFixture(backend)
        let id = try #require(try f.claim(f.message(["d1"])).first)
        try apply(control, f)
        #expect(try f.ledger.record([], markingSending: [id], now: Self.now).isEmpty)
        #expect(try f.ledger.interrupted(now: Self.now).isEmpty)
    }

    @Test(arguments: Backend.allCases)
    func aSendInFlightIsLeftToFinish(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let id = try #require(try f.claim(f.message(["d1"])).first)
        _ = try f.ledger.record([], markingSending: [id], now: Self.now)
        #expect(try f.ledger.optOut(customerID: "c1", reason: "asked", now: Self.now) == 0)
        #expect(try f.ledger.interrupted(now: Self.now).map(\.id) == [id], "it may be on the wire: its outcome is recorded as usual")
    }

    /// A retry the server refused never reached the customer: its step goes back to the planner,
    /// which holds it while paused and plans it again after resume.
    @Test(arguments: Backend.allCases)
    func aCancelledStepThatNeverArrivedIsGivenBack(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let id = try f.attempt(f.message(["d1"]), .retry(at: Self.now.addingTimeInterval(300), reason: "step=http reply_code=503", mayHaveArrived: false))
        #expect(try f.ledger.pause(customerID: "c1", through: nil, reason: "travelling", now: Self.now) == 1)
        let c = try #require(try f.ledger.dueCases(now: Self.now).first, "its debt is looked at again at the next tick")
        #expect(!c.ledger.contains(StepKey(debtID: "d1", dueDate: ContractFixture.d1Due, stepID: "forgetful.1d")))
        #expect(c.pausedThrough == .endOfTime)
        try f.ledger.resume(customerID: "c1", now: Self.later)
        let again = try #require(try f.claim(f.message(["d1"])).first, "the step can be claimed again")
        let history = try f.ledger.history(id: "d1").map(\.summary)
        #expect(history.contains { $0.contains("attempt=\(id)") && $0.contains("state=cancelled") && $0.contains("reason=paused") },
                "the cancelled attempt stays in the debt's history\n\(history)")
        #expect(history.contains { $0.contains("attempt=\(again)") && $0.contains("state=claimed") })
        #expect(try f.ledger.history(id: "c1").first { $0.summary.contains("attempt=\(id)") }?.debtIDs == ["d1"])
    }

    /// A retry after a timeout may be at the receiver already: its step stays taken.
    @Test(arguments: Backend.allCases)
    func aCancelledStepThatMayHaveArrivedStaysTaken(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let id = try f.attempt(f.message(["d1"]), .retry(at: Self.now.addingTimeInterval(300), reason: "step=timeout", mayHaveArrived: true))
        #expect(try f.ledger.optOut(customerID: "c1", reason: "asked", now: Self.now) == 1)
        try f.ledger.optIn(customerID: "c1", now: Self.later)
        #expect(try f.claim(f.message(["d1"])).isEmpty)
        #expect(try f.ledger.history(id: "d1").contains { $0.summary.contains("attempt=\(id)") && $0.summary.contains("reason=opted_out") })
    }

    /// A reminder consolidating d1 and d2: disputing d1 cancels it, and d2 gets its step back.
    @Test(arguments: Backend.allCases)
    func disputingOneDebtGivesTheOtherItsStepBack(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let id = try #require(try f.claim(f.message(["d1", "d2"])).first)
        try f.saveChecks(["d1": nil, "d2": nil])
        #expect(try f.ledger.dispute(debtID: "d1", reason: "says it was paid", now: Self.now) == 1)
        #expect(try f.ledger.dueCases(now: Self.now).first?.disputed == ["d1"])
        #expect(try f.claim(f.message(["d2"])).count == 1)
        #expect(try f.ledger.history(id: "d2").contains { $0.summary.contains("attempt=\(id)") && $0.summary.contains("reason=disputed") })
        try f.ledger.resolve(debtID: "d1", now: Self.later)
        #expect(try f.planned()?.disputed.isEmpty == true)
        #expect(try f.ledger.history(id: "d1").map(\.kind).filter { $0 != "attempt" } == ["disputed", "resolved"])
    }

    @Test(arguments: Backend.allCases)
    func payingOneDebtGivesTheOtherItsStepBack(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        _ = try #require(try f.claim(f.message(["d1", "d2"])).first)
        #expect(try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now))
        #expect(try f.claim(f.message(["d2"])).count == 1, "d2 is still owed: its step was never sent")
    }

    /// A thank-you claimed but not sent when the customer opts out is cancelled, and is pending
    /// again, so it goes out after opt-in like one the planner held.
    @Test(arguments: Backend.allCases)
    func optOutCancelsAPendingThankYouAndOptInBringsItBack(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        #expect(try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now))
        let thanks = try #require(try f.claim(f.message(["d1"], step: "on_paid.thanks", kind: .thanks)).first)
        #expect(try f.planned()?.thanksDue.isEmpty == true)
        #expect(try f.ledger.optOut(customerID: "c1", reason: "asked", now: Self.now) == 1)
        #expect(try f.ledger.history(id: "d1").contains { $0.summary.contains("attempt=\(thanks)") && $0.summary.contains("reason=opted_out") })
        #expect(try f.planned()?.thanksDue == ["d1"])
        #expect(try f.planned()?.optedOut == true)
        try f.ledger.optIn(customerID: "c1", now: Self.later)
        #expect(try f.planned()?.optedOut == false)
        #expect(try f.claim(f.message(["d1"], step: "on_paid.thanks", kind: .thanks)).count == 1)
    }

    /// Both debts paid while the customer was paused (or opted out), their thank-yous held with
    /// no next check: resume and opt-in bring them back, not only the open debts.
    @Test(arguments: Backend.allCases, [true, false])
    func resumeAndOptInBringBackPendingThankYous(_ backend: Backend, pause: Bool) throws {
        let f = try ContractFixture(backend)
        if pause {
            _ = try f.ledger.pause(customerID: "c1", through: nil, reason: "travelling", now: Self.now)
        } else {
            _ = try f.ledger.optOut(customerID: "c1", reason: "asked", now: Self.now)
        }
        _ = try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now)
        _ = try f.ledger.pay(debtID: "d2", amount: nil, at: Self.now, now: Self.now)
        try f.saveChecks(["d1": nil, "d2": nil])
        #expect(try f.ledger.dueCases(now: Self.later).isEmpty)
        if pause {
            try f.ledger.resume(customerID: "c1", now: Self.later)
        } else {
            try f.ledger.optIn(customerID: "c1", now: Self.later)
        }
        let c = try #require(try f.ledger.dueCases(now: Self.later).first, "the pending thank-yous are looked at again")
        #expect(c.thanksDue == ["d1", "d2"])
    }

    /// A pause through a day is read back as that day; the planner sees it and its end.
    @Test(arguments: Backend.allCases)
    func aPauseThroughADayLastsThroughThatDay(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let through = CalendarDate(iso: "2026-11-30")!
        #expect(try f.ledger.pause(customerID: "c1", through: through, reason: "travelling", now: Self.now) == 0)
        #expect(try f.planned()?.pausedThrough == through)
        #expect(try f.ledger.history(id: "c1").contains { $0.kind == "paused" && $0.summary == "through=2026-11-30 reason=travelling" })
        try f.ledger.resume(customerID: "c1", now: Self.later)
        #expect(try f.planned()?.pausedThrough == nil)
    }

    /// A control naming no known customer or debt changes nothing and says which.
    @Test(arguments: Backend.allCases)
    func anUnknownCustomerOrDebtIsNotFound(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let attempts: [(String, () throws(StoreError) -> Void)] = [
            ("no customer 'nope'", { () throws(StoreError) in _ = try f.ledger.pause(customerID: "nope", through: nil, reason: "r", now: Self.now) }),
            ("no customer 'nope'", { () throws(StoreError) in try f.ledger.resume(customerID: "nope", now: Self.now) }),
            ("no customer 'nope'", { () throws(StoreError) in _ = try f.ledger.optOut(customerID: "nope", reason: "r", now: Self.now) }),
            ("no customer 'nope'", { () throws(StoreError) in try f.ledger.optIn(customerID: "nope", now: Self.now) }),
            ("no debt 'nope'", { () throws(StoreError) in _ = try f.ledger.dispute(debtID: "nope", reason: "r", now: Self.now) }),
            ("no debt 'nope'", { () throws(StoreError) in try f.ledger.resolve(debtID: "nope", now: Self.now) }),
        ]
        for (message, control) in attempts {
            let error = try #require(throws: StoreError.self) { try control() }
            #expect(error.kind == .notFound && error.message == message)
        }
        #expect(try f.ledger.history(id: "c1").isEmpty, "no event written")
    }
}
