import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import Testing
import TestSupport

/// A control that stops messages and commits between the tick's planning read and its claim
/// finds nothing pending to cancel; the claim must then notice, through the controls version
/// read with the cases, and write nothing. On a real ledger: `c1` owing `d1` and `d2`.
@Suite struct ControlsVersionTests {
    static let now = LedgerFixture.now

    enum Control: String, CaseIterable { case pause, optOut = "opt-out", dispute, pay }

    func apply(_ control: Control, _ f: LedgerFixture) throws {
        switch control {
        case .pause: try f.ledger.pause(customerID: "c1", through: nil, reason: "travelling", now: Self.now)
        case .optOut: try f.ledger.optOut(customerID: "c1", reason: "asked by phone", now: Self.now)
        case .dispute: try f.ledger.dispute(debtID: "d1", reason: "says it was paid", now: Self.now)
        case .pay: try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now)
        }
    }

    /// The tick's claim of `c1`'s reminder for `d1`, with the plan's next check and segment.
    func request(_ f: LedgerFixture) throws -> (ClaimRequest, CustomerPlan) {
        var plan = CustomerPlan(customerID: "c1", segment: "forgetful")
        plan.nextCheck = ["d1": Self.now.addingTimeInterval(86_400)]
        return (ClaimRequest(attemptID: ClaimRequest.newAttemptID(now: Self.now), message: try f.message(["d1"]), payload: Data("x".utf8)), plan)
    }

    /// Everything a claim writes: attempts, the unique key, segments and next checks.
    func claimable(_ f: LedgerFixture) throws -> [String] {
        try f.ledger.pool.read { db in
            try [String.fetchOne(db, sql: "SELECT count(*) || '/' || (SELECT count(*) FROM attempt_items) FROM attempts")!]
                + String.fetchAll(db, sql: "SELECT id || ':' || COALESCE(segment, '-') FROM customers ORDER BY id")
                + String.fetchAll(db, sql: "SELECT id || ':' || COALESCE(next_check_at, '-') || ':' || COALESCE(hold_reason, '-') FROM debts ORDER BY id")
        }
    }

    /// The reviewer's case on the ledger: the planner read `c1` (due, not paused), the control
    /// committed, and only then came the claim. Nothing is claimed and nothing is written, even
    /// though the control had nothing pending to cancel.
    @Test(arguments: Control.allCases)
    func aClaimPlannedBeforeAControlWritesNothing(control: Control) throws {
        let f = try LedgerFixture()
        let snapshot = try f.ledger.planningSnapshot(customerIDs: ["c1"], now: Self.now)
        #expect(snapshot.cases.map(\.customer.id) == ["c1"])
        #expect(snapshot.cases.first?.pausedThrough == nil && snapshot.cases.first?.disputed.isEmpty == true)
        let (request, plan) = try request(f)
        try apply(control, f)
        let before = try claimable(f)

        let result = try f.ledger.claim([request], saving: [plan], now: Self.now, ifControlsAt: snapshot.controlsVersion)
        #expect(result == .stale)
        #expect(try claimable(f) == before, "nothing written: no attempt, no next check, no segment")
        #expect(try f.ledger.sendable(now: Self.now).isEmpty)

        let fresh = try f.ledger.planningSnapshot(customerIDs: ["c1"], now: Self.now)
        #expect(fresh.controlsVersion > snapshot.controlsVersion)
        #expect(fresh.cases.first.map { $0.pausedThrough != nil || $0.optedOut || $0.disputed.contains("d1") || $0.thanksDue.contains("d1") } == true,
                "the fresh read shows the control, so the planner holds the reminder")
    }

    /// With no control in between, the claim is made and written as `claim(_:saving:now:)` does.
    @Test func aClaimOnACurrentSnapshotIsMade() throws {
        let f = try LedgerFixture()
        let snapshot = try f.ledger.planningSnapshot(customerIDs: ["c1"], now: Self.now)
        let (request, plan) = try request(f)
        #expect(try f.ledger.claim([request], saving: [plan], now: Self.now, ifControlsAt: snapshot.controlsVersion) == .claimed([request.attemptID]))
        #expect(try f.ledger.sendable(now: Self.now).map(\.id) == [request.attemptID])
        #expect(try claimable(f).contains("c1:forgetful"))
    }

    /// Each control that stops messages raises the version, with nothing pending to cancel; so
    /// does a partial payment (a reminder would ask for too much). Those that allow messages
    /// again don't: a plan read before them merely sends less, and the next tick the rest.
    @Test func whichChangesRaiseTheVersion() throws {
        let f = try LedgerFixture()
        func raises(_ change: () throws -> Void) throws -> Bool {
            let v = try f.ledger.controlsVersion()
            try change()
            return try f.ledger.controlsVersion() > v
        }
        #expect(try raises { try f.ledger.pause(customerID: "c1", through: nil, reason: "r", now: Self.now) })
        #expect(try !raises { try f.ledger.resume(customerID: "c1", now: Self.now) })
        #expect(try raises { try f.ledger.optOut(customerID: "c1", reason: "r", now: Self.now) })
        #expect(try !raises { try f.ledger.optIn(customerID: "c1", now: Self.now) })
        #expect(try raises { try f.ledger.dispute(debtID: "d1", reason: "r", now: Self.now) })
        #expect(try !raises { try f.ledger.resolve(debtID: "d1", now: Self.now) })
        #expect(try raises { try f.ledger.pay(debtID: "d2", amount: Money(cents: 1_000), at: Self.now, now: Self.now) })
        #expect(try raises {
            _ = try f.ledger.importPayments([Numbered(row: 2, value: Payment(debtID: "d2", amount: Money(cents: 4_000), paidAt: Self.now))], now: Self.now)
        }, "paid up by an import: settled, like `pay`")
        #expect(try !raises { _ = try f.claim(f.message(["d1"])) })
    }

    /// A ledger at v5 (before the controls version) upgrades: the version starts at 0 and the
    /// first control raises it.
    @Test func aLedgerFromV5Upgrades() throws {
        let legacy = try OldLedger(upTo: "v5")
        let (path, old) = (legacy.path, legacy.queue)
        let t = Self.now.timeIntervalSince1970
        try old.write { db in
            try db.execute(sql: """
                INSERT INTO customers (id, name, email, created_at, updated_at) VALUES ('c1', 'Ana', 'ana@example.com', ?, ?);
                INSERT INTO debts (id, customer_id, amount_cents, due_date, next_check_at, created_at, updated_at)
                  VALUES ('d1', 'c1', 10000, '2026-11-17', ?, ?, ?);
                """, arguments: [t, t, t, t, t])
        }
        #expect(try old.read { try SQLiteLedger.migrator.appliedIdentifiers($0) }.contains("v6") == false)
        try old.close()

        let ledger = try SQLiteLedger(path: path)
        #expect(try ledger.pool.read { try SQLiteLedger.migrator.appliedIdentifiers($0) }.contains("v6"))
        let snapshot = try ledger.planningSnapshot(customerIDs: ["c1"], now: Self.now)
        #expect(snapshot.controlsVersion == 0 && snapshot.cases.map(\.customer.id) == ["c1"])
        try ledger.pause(customerID: "c1", through: nil, reason: "r", now: Self.now)
        #expect(try ledger.controlsVersion() == 1)
        #expect(try ledger.claim([], now: Self.now, ifControlsAt: snapshot.controlsVersion) == .stale)
    }
}
