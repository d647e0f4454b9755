import Foundation
import LembraCore
import LembraStore
import Testing

// What the controls' and reports' contract tests add to the fixture, through the protocols only.
extension ContractFixture {
    /// `d1`'s due date, as promise links name it.
    static let d1Due = CalendarDate(iso: "2026-11-17")!

    /// A message of `customer` (not only `c1`) for `debtIDs`, with the debts as the planner reads them.
    func message(_ debtIDs: [String], step: String = "forgetful.1d", kind: PlannedMessage.Kind = .reminder,
                 customer: String) throws -> PlannedMessage {
        let debts = try ledger.planningSnapshot(customerIDs: [customer], now: Self.now).cases.flatMap(\.debts)
        let items = try debtIDs.map { id in PlannedMessage.Item(debt: try #require(debts.first { $0.id == id }), stepID: step, day: 1) }
        return PlannedMessage(kind: kind, customerID: customer, segment: "forgetful", channel: "email", template: "friendly",
                              handoff: false, items: items, superseded: [])
    }

    /// Claims `m` at `at`, marks it `sending` and records `outcome`; returns its id.
    func attempt(_ m: PlannedMessage, _ outcome: AttemptOutcome, at: Date = ContractFixture.now, mayHaveArrived: Bool = false) throws -> String {
        let version = try ledger.planningSnapshot(customerIDs: [m.customerID], now: at).controlsVersion
        let request = ClaimRequest(attemptID: ClaimRequest.newAttemptID(now: at), message: m, payload: Data("x".utf8))
        #expect(try ledger.claim([request], saving: [], now: at, ifControlsAt: version) == .claimed([request.attemptID]))
        let id = request.attemptID
        _ = try ledger.record([], markingSending: [id], now: at)
        if mayHaveArrived {  // an interrupted send, resent: it may have arrived the first time
            try ledger.recoverInterrupted([id], to: .claimed, reason: "interrupted_resend", mayHaveArrived: true, now: at)
            _ = try ledger.record([], markingSending: [id], now: at)
        }
        try ledger.record([(id, outcome)], now: at)
        return id
    }

    /// Saves next checks for `customer`'s debts as the planner would (nil: only an event brings
    /// the debt back), through a claim of nothing.
    func saveChecks(_ checks: [String: Date?], customer: String = "c1") throws {
        var plan = CustomerPlan(customerID: customer, segment: "forgetful")
        plan.nextCheck = checks
        let version = try ledger.planningSnapshot(customerIDs: [customer], now: Self.now).controlsVersion
        #expect(try ledger.claim([], saving: [plan], now: Self.now, ifControlsAt: version) == .claimed([]))
    }

    /// The controls version a tick reads with `customers`' cases.
    func version(_ customers: [String] = ["c1"]) throws -> Int64 {
        try ledger.planningSnapshot(customerIDs: customers, now: Self.now).controlsVersion
    }

    /// The open case of `customer` as the planner reads it now.
    func planned(_ customer: String = "c1", at: Date = ContractFixture.now) throws -> CustomerCase? {
        try ledger.planningSnapshot(customerIDs: [customer], now: at).cases.first
    }
}
