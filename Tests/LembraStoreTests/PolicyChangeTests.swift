import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import Testing
import TestSupport

/// Next checks computed under one policy may come too late under another: when the policy the
/// tick plans with is not the one the ledger was planned under, every open debt is due again.
@Suite struct PolicyChangeTests {
    static let now = LedgerFixture.now

    func due(_ f: LedgerFixture) throws -> [String] {
        try f.ledger.pool.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM debts WHERE next_check_at <= ? ORDER BY id", arguments: [Self.now.timeIntervalSince1970])
        }
    }

    @Test func anotherPolicyHasEveryOpenDebtPlannedAgainOnce() throws {
        let f = try LedgerFixture()
        #expect(try !f.ledger.planAgainIfPolicyChanged(fingerprint: 41, now: Self.now), "just imported: every debt is due already")
        #expect(try f.ledger.isPlanned(under: 41))
        let later = Self.now.addingTimeInterval(30 * 86_400)
        try f.ledger.saveChecks([CustomerPlan(customerID: "c1", segment: "forgetful").with(["d1": later, "d2": nil])], now: Self.now)
        #expect(try due(f).isEmpty)
        #expect(try f.ledger.isPlanned(under: 41) && !f.ledger.isPlanned(under: 42))
        #expect(try !f.ledger.planAgainIfPolicyChanged(fingerprint: 41, now: Self.now), "the same policy: nothing to do")
        #expect(try due(f).isEmpty)
        #expect(try f.ledger.planAgainIfPolicyChanged(fingerprint: 42, now: Self.now))
        #expect(try due(f) == ["d1", "d2"], "a debt held for good (nil) is looked at too: the new policy may have a step for it")
        #expect(try f.ledger.isPlanned(under: 42))
        #expect(try !SQLiteLedger(path: f.path).planAgainIfPolicyChanged(fingerprint: 42, now: Self.now), "kept in the file")
    }
}
