import Foundation
import LembraCore
import LembraStore
import Testing

/// A control that stops messages and commits between the tick's planning read and its claim
/// finds nothing pending to cancel; the claim must notice, through the controls version read
/// with the cases, and write nothing. On either ledger.
struct ControlsVersionContractTests {
    static let now = ContractFixture.now

    enum Control: String, CaseIterable, Sendable { case pause, optOut = "opt-out", dispute, pay, partialPay = "partial payment", promise }

    func apply(_ control: Control, _ f: ContractFixture, customer: String = "c1", debt: String = "d1") throws {
        switch control {
        case .pause: _ = try f.ledger.pause(customerID: customer, through: nil, reason: "travelling", now: Self.now)
        case .optOut: _ = try f.ledger.optOut(customerID: customer, reason: "asked by phone", now: Self.now)
        case .dispute: _ = try f.ledger.dispute(debtID: debt, reason: "says it was paid", now: Self.now)
        case .pay: _ = try f.ledger.pay(debtID: debt, amount: nil, at: Self.now, now: Self.now)
        case .partialPay: _ = try f.ledger.pay(debtID: debt, amount: Money(cents: 100), at: Self.now, now: Self.now)
        case .promise:
            _ = try f.ledger.promise(debtID: debt, dueDate: ContractFixture.d1Due, stepID: "forgetful.1d", through: CalendarDate(iso: "2026-11-25")!,
                                     now: Self.now)
        }
    }

    /// The tick's claim of `customer`'s reminder for `debt`, with the plan's next check.
    func request(_ f: ContractFixture, customer: String = "c1", debt: String = "d1") throws -> (ClaimRequest, CustomerPlan) {
        var plan = CustomerPlan(customerID: customer, segment: "forgetful")
        plan.nextCheck = [debt: Self.now.addingTimeInterval(86_400)]
        let message = try f.message([debt], customer: customer)
        return (ClaimRequest(attemptID: ClaimRequest.newAttemptID(now: Self.now), message: message, payload: Data("x".utf8)), plan)
    }

    /// The planner read `c1` (due, not paused), the control committed, and only then came the
    /// claim: nothing is claimed and nothing is written, though the control had nothing pending.
    @Test(arguments: Backend.allCases, Control.allCases)
    func aClaimPlannedBeforeAControlWritesNothing(_ backend: Backend, control: Control) throws {
        let f = try ContractFixture(backend)
        let snapshot = try f.ledger.planningSnapshot(customerIDs: ["c1"], now: Self.now)
        let (request, plan) = try request(f)
        try apply(control, f)

        #expect(try f.ledger.claim([request], saving: [plan], now: Self.now, ifControlsAt: snapshot.controlsVersion) == .stale)
        #expect(try f.ledger.sendableChannels(now: Self.now).isEmpty)
        #expect(try f.ledger.history(id: "d1").allSatisfy { $0.kind != "attempt" }, "no attempt written")
        #expect(try f.ledger.status().openDebtsBySegment["forgetful"] == nil, "nor the plan's segment")

        let fresh = try f.ledger.planningSnapshot(customerIDs: ["c1"], now: Self.now)
        #expect(fresh.controlsVersion != snapshot.controlsVersion)
        #expect(try f.ledger.claim([request], saving: [plan], now: Self.now, ifControlsAt: fresh.controlsVersion) == .claimed([request.attemptID]),
                "a claim planned on the fresh read is made")
    }

    /// The controls that allow messages again don't make a plan stale: it merely sends less
    /// than it could, and the next tick the rest. Nor does a claim.
    @Test(arguments: Backend.allCases)
    func whatAllowsMessagesAgainDoesNotMakeAPlanStale(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        _ = try f.ledger.pause(customerID: "c1", through: nil, reason: "r", now: Self.now)
        _ = try f.ledger.optOut(customerID: "c1", reason: "r", now: Self.now)
        _ = try f.ledger.dispute(debtID: "d1", reason: "r", now: Self.now)
        let version = try f.version()
        try f.ledger.resume(customerID: "c1", now: Self.now)
        try f.ledger.optIn(customerID: "c1", now: Self.now)
        try f.ledger.resolve(debtID: "d1", now: Self.now)
        _ = try f.claim(f.message(["d2"]))
        #expect(try f.version() == version)
    }

    /// On the shared ledger the version is per customer: a control of `c1` makes stale only the
    /// plans that read `c1`, never another daemon's plans for other customers. (SQLite keeps one
    /// ledger-wide version: any control makes every plan read before it stale.)
    @Test(arguments: Control.allCases)
    func aControlMakesStaleOnlyThePlansOfItsCustomer(control: Control) throws {
        let f = try ContractFixture(.postgres)
        _ = try f.ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c2", name: "Bia", email: "bia@example.com"))], now: Self.now)
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "e1", customerID: "c2", amount: Money(cents: 7_000),
                                                                   dueDate: ContractFixture.d1Due))], now: Self.now)
        let onlyC2 = try f.ledger.planningSnapshot(customerIDs: ["c2"], now: Self.now)
        let both = try f.ledger.planningSnapshot(customerIDs: ["c1", "c2"], now: Self.now)
        let (forC2, planC2) = try request(f, customer: "c2", debt: "e1")
        try apply(control, f)

        #expect(try f.ledger.claim([forC2], saving: [CustomerPlan(customerID: "c1", segment: "forgetful"), planC2], now: Self.now,
                                   ifControlsAt: both.controlsVersion) == .stale, "a snapshot that read c1 is stale")
        #expect(try f.ledger.claim([forC2], saving: [planC2], now: Self.now, ifControlsAt: onlyC2.controlsVersion) == .claimed([forC2.attemptID]),
                "c2's plan, read before c1's \(control.rawValue), is still current")
    }
}
