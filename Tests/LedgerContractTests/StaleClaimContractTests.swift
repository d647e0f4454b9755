import Foundation
import LembraCore
import LembraStore
import Testing

/// A change that stops or lowers a reminder, committed between the tick's planning read and its
/// claim, finds nothing pending to cancel: on every backend the claim notices, through the
/// controls version read with the cases, and writes nothing. (The controls themselves, pause,
/// opt-out, dispute and `pay`, are the controls' contract; a payments import is one of them here.)
struct StaleClaimContractTests {
    static let now = ContractFixture.now

    /// The tick's claim of `c1`'s reminder for `d1`, with the plan's next check.
    func request(_ f: ContractFixture) throws -> (ClaimRequest, CustomerPlan) {
        var plan = CustomerPlan(customerID: "c1", segment: "forgetful")
        plan.nextCheck = ["d1": Self.now.addingTimeInterval(86_400), "d2": Self.now.addingTimeInterval(86_400)]
        return (f.request(try f.message(["d1"])), plan)
    }

    @Test(arguments: Backend.allCases, [Int64(10_000), 1_000])
    func aClaimPlannedBeforeAPaymentWritesNothing(_ backend: Backend, cents: Int64) throws {
        let f = try ContractFixture(backend)
        let snapshot = try f.ledger.planningSnapshot(customerIDs: ["c1"], now: Self.now)
        #expect(snapshot.customerIDs == ["c1"] && snapshot.cases.map(\.customer.id) == ["c1"])
        let (request, plan) = try request(f)
        try f.importPayment(cents)

        #expect(try f.ledger.claim([request], saving: [plan], now: Self.now, ifControlsAt: snapshot.controlsVersion) == .stale)
        #expect(try f.sendable().isEmpty && f.steps().isEmpty, "no attempt, no step taken")
        #expect(try f.ledger.dueCases(now: Self.now).map(\.customer.id) == ["c1"], "no next check saved")

        let fresh = try f.ledger.planningSnapshot(customerIDs: ["c1"], now: Self.now)
        #expect(fresh.controlsVersion != snapshot.controlsVersion)
        #expect(fresh.cases.first.map { $0.debts.first { $0.id == "d1" }?.amount.cents } == 10_000 - cents || fresh.cases.first?.thanksDue == ["d1"],
                "the fresh read shows the payment")
        #expect(try f.ledger.claim([request], saving: [plan], now: Self.now, ifControlsAt: fresh.controlsVersion) == .claimed([request.attemptID]))
    }

    @Test(arguments: Backend.allCases) func aClaimOnACurrentSnapshotIsMadeAndRaisesNothing(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let snapshot = try f.ledger.planningSnapshot(customerIDs: ["c1"], now: Self.now)
        let (request, plan) = try request(f)
        #expect(try f.ledger.claim([request], saving: [plan], now: Self.now, ifControlsAt: snapshot.controlsVersion) == .claimed([request.attemptID]))
        #expect(try f.sendable() == [request.attemptID])
        #expect(try f.ledger.planningSnapshot(customerIDs: ["c1"], now: Self.now).controlsVersion == snapshot.controlsVersion,
                "a claim, a customers import and a debt import that changes no terms stop nothing")
        _ = try f.ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c1", name: "Ana Souza", email: "ana@example.com"))], now: Self.now)
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: 10_000),
                                                                    dueDate: CalendarDate(iso: "2026-11-17")!, description: "Revisão"))], now: Self.now)
        #expect(try f.ledger.planningSnapshot(customerIDs: ["c1"], now: Self.now).controlsVersion == snapshot.controlsVersion)
    }

    /// New terms make a plan read before them stale too: it would state the old amount.
    @Test(arguments: Backend.allCases) func aClaimPlannedBeforeNewTermsWritesNothing(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let snapshot = try f.ledger.planningSnapshot(customerIDs: ["c1"], now: Self.now)
        let (request, plan) = try request(f)
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: 8_000),
                                                                    dueDate: CalendarDate(iso: "2026-11-17")!))], now: Self.now)
        #expect(try f.ledger.claim([request], saving: [plan], now: Self.now, ifControlsAt: snapshot.controlsVersion) == .stale)
    }
}
