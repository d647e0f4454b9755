import Foundation
import LembraCore
import LembraPostgres
import LembraStore
import Testing

/// Writers of the shared ledger take their customers' row locks first, in id order, as a claim
/// does: two daemons (or a daemon and a command) touching the same customers then wait for each
/// other instead of deadlocking, which would fail one of them (a failed tick or command). Each
/// test plays, on real connections, the order of events that deadlocked when a writer locked
/// its customers in its own order; both writers must succeed.
struct LockOrderContractTests {
    static let now = ContractFixture.now
    static let later = now.addingTimeInterval(86_400)

    /// The fixture on PostgreSQL plus `c2` owing `e1`, a second daemon, and a session to order them.
    func world() throws -> (ContractFixture, PostgresLedger, LockWaits) {
        let f = try ContractFixture(.postgres)
        _ = try f.ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c2", name: "Bia", email: "bia@example.com"))], now: Self.now)
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "e1", customerID: "c2", amount: Money(cents: 7_000),
                                                                   dueDate: ContractFixture.d1Due))], now: Self.now)
        let other = try #require(try f.second() as? PostgresLedger)
        return (f, other, try LockWaits(url: f.open.location))
    }

    /// A claim for `c1` and `c2` that saves next checks (`checks`) and claims `requests`, on a
    /// snapshot read now, run on its own thread by `ledger`.
    func claim(_ ledger: PostgresLedger, _ requests: [ClaimRequest] = [], checks: [String: Date] = [:]) throws -> Background<ClaimResult> {
        let version = try ledger.planningSnapshot(customerIDs: ["c1", "c2"], now: Self.now).controlsVersion
        let plans = ["c1": ["d1", "d2"], "c2": ["e1"]].map { customer, debts in
            var plan = CustomerPlan(customerID: customer, segment: "forgetful")
            plan.nextCheck = checks.filter { debts.contains($0.key) }
            return plan
        }
        return Background { () throws(StoreError) in try ledger.claim(requests, saving: plans, now: Self.now, ifControlsAt: version) }
    }

    /// The tick's recheck cancels leftovers of `c2` and then `c1` while another daemon claims
    /// both: it used to lock `c2`, then wait for `c1`, which the claim held while it waited for `c2`.
    @Test func theRecheckAndAClaimOfTheSameCustomersBothGoThrough() throws {
        let (f, other, order) = try world()
        let forC1 = try f.claimOne(["d1"])
        let forC2 = try f.attempt(f.message(["e1"], customer: "c2"), .retry(at: Self.now, reason: "451", mayHaveArrived: false))
        try order.session.query("BEGIN", operation: "hold c1")
        try order.session.query("SELECT 1 FROM customers WHERE id = 'c1' FOR UPDATE", operation: "hold c1")
        let claim = try claim(other, checks: ["d2": Self.later])
        try order.waitFor(1)
        let ledger = f.ledger
        let settle = Background { () throws(StoreError) in
            try ledger.settle(waiting: [], cancelling: [(forC2, .paused), (forC1, .paused)], now: Self.now)
        }
        try order.waitFor(2)
        try order.session.query("ROLLBACK", operation: "let go of c1")

        #expect(try claim.result().get() == .claimed([]))
        #expect(try settle.result().get() == [forC1, forC2])
    }

    /// A policy change brings every debt forward while another daemon's claim saves next checks
    /// and takes a thank-you: it used to lock the debts in the table's order (`e1`, `d2`, `d1`
    /// here), holding `e1` the claim needed while waiting for the `d1` the claim held.
    @Test func aPolicyRePlanAndAClaimOfTheSameDebtsBothGoThrough() throws {
        let (f, other, order) = try world()
        // Each update writes the row anew at the end of the table: `e1`, `d2`, `d1` in that order.
        try f.saveChecks(["e1": Self.later], customer: "c2")
        try f.saveChecks(["d2": Self.later])
        try f.saveChecks(["d1": Self.later])
        try order.session.query("BEGIN", operation: "hold d2")
        try order.session.query("SELECT 1 FROM debts WHERE id = 'd2' FOR UPDATE", operation: "hold d2")
        let ledger = f.ledger
        let replan = Background { () throws(StoreError) in try ledger.planAgainIfPolicyChanged(fingerprint: 42, now: Self.now) }
        try order.waitFor(1)
        let thanks = f.request(try f.message(["d1"], step: "thanks", kind: .thanks))
        let claim = try claim(other, [thanks], checks: ["e1": Self.later])
        try order.waitFor(2)
        try order.session.query("ROLLBACK", operation: "let go of d2")

        #expect(try replan.result().get())
        #expect(try claim.result().get() == .claimed([thanks.attemptID]))
    }

    /// A payment for a debt moved to `c2` cancels what was claimed for it under `c1`, raising both
    /// customers' versions: it used to lock `c2`, then wait for `c1`, held by a claim waiting for `c2`.
    @Test func aPaymentOfAMovedDebtAndAClaimOfBothCustomersBothGoThrough() throws {
        let (f, other, order) = try world()
        let claimed = try f.claimOne(["d1"])
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "d1", customerID: "c2", amount: Money(cents: 10_000),
                                                                   dueDate: ContractFixture.d1Due))], now: Self.now)
        try order.session.query("BEGIN", operation: "hold c1")
        try order.session.query("SELECT 1 FROM customers WHERE id = 'c1' FOR UPDATE", operation: "hold c1")
        let claim = try claim(other, checks: ["d2": Self.later])
        try order.waitFor(1)
        let ledger = f.ledger
        let pay = Background { () throws(StoreError) in try ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now) }
        try order.waitFor(2)
        try order.session.query("ROLLBACK", operation: "let go of c1")

        #expect(try claim.result().get() == .claimed([]))
        #expect(try pay.result().get())
        #expect(try f.pending(claimed) == nil, "the reminder for the paid debt is cancelled")
    }

    /// A `lock_timeout` an administrator set makes a write that waited too long fail: transient
    /// (`.busy`, the command exits 75, the tick tries again), not a reason to stop the daemon.
    @Test func aLockTimeoutIsTransient() throws {
        let (f, _, order) = try world()
        try order.session.query("""
            DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET lock_timeout = %L', current_database(), '100ms'); END $$
            """, operation: "set lock_timeout")
        let ledger = try f.second(owner: "daemon-3")  // connections opened from now on take the setting
        try order.session.query("BEGIN", operation: "hold c1")
        try order.session.query("SELECT 1 FROM customers WHERE id = 'c1' FOR UPDATE", operation: "hold c1")
        let error = try #require(throws: StoreError.self) { try ledger.pause(customerID: "c1", through: nil, reason: "r", now: Self.now) }
        #expect(error.kind == .busy, "\(error)")
        try order.session.query("ROLLBACK", operation: "let go of c1")
        #expect(try ledger.pause(customerID: "c1", through: nil, reason: "r", now: Self.now) == 0, "and goes through once the lock is free")
    }
}
