import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import Testing
import TestSupport

/// The ledger file itself: deleted or replaced under an open ledger, damaged, copied by `backup`
/// and put back by `restore`. Nothing is ever committed into a file that is gone, and a damaged
/// index never lets a step be claimed twice.
struct LedgerFileTests {
    @Test func aClaimIntoADeletedLedgerFailsBeforeItCommits() throws {
        let f = try LedgerFixture()
        try FileManager.default.removeItem(atPath: f.path)
        let error = try #require(throws: StoreError.self) { try f.claim(f.message(["d1"])) }
        #expect(error.kind == .replaced, "\(error)")
        #expect(error.ledgerUnusable)
    }

    @Test func aSendingMarkIntoAReplacedLedgerFailsAndMarksNothing() throws {
        let f = try LedgerFixture()
        let id = try #require(try f.claim(f.message(["d1"])).first)
        let other = f.dir.path("other.sqlite").path
        _ = try SQLiteLedger(path: other, create: true)
        #expect(rename(other, f.path) == 0)
        let error = try #require(throws: StoreError.self) { try f.ledger.record([], markingSending: [id], now: LedgerFixture.now) }
        #expect(error.kind == .replaced, "\(error)")
    }

    /// The index of claimed steps by their attempt loses its entries (the table keeps its rows).
    /// `quick_check` can't see this damage; `check(path:)` does. The claim, which meets the
    /// table's own key (the step) and no index, still refuses the step: no index stands between a
    /// claim and the steps already taken.
    @Test func aDamagedIndexOfClaimedStepsDoesNotLetAStepBeClaimedTwice() throws {
        let f = try LedgerFixture()
        let m = try f.message(["d1"])
        #expect(try f.claim(m).count == 1)
        try LedgerDamage.emptyItemsByAttempt(f.path)

        let reopened = try SQLiteLedger(path: f.path)
        let seenThroughIndex = try DatabaseQueue(path: f.path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM attempt_items INDEXED BY attempt_items_attempt WHERE attempt > 0")
        }
        #expect(seenThroughIndex == 0, "the index really lost the claim")
        try reopened.quickCheck()
        #expect(try f.claim(m, on: reopened).isEmpty, "the step was claimed a second time")
        #expect(try reopened.status().attemptsByState["claimed"] == 1)
        let problems = try SQLiteLedger.check(path: f.path)
        #expect(problems.contains { $0.contains("attempt_items_attempt") }, "\(problems)")
    }

    /// A claimed attempt whose message (its `attempt_payloads` row) is gone would go out empty:
    /// `check(path:)` reports it, as it reports a message left without its attempt.
    @Test func anAttemptToSendWithoutItsMessageIsReported() throws {
        let f = try LedgerFixture()
        #expect(try f.claim(f.message(["d1"])).count == 1)
        #expect(try SQLiteLedger.check(path: f.path).isEmpty)
        try DatabaseQueue(path: f.path).write { db in try db.execute(sql: "DELETE FROM attempt_payloads") }
        #expect(try SQLiteLedger.check(path: f.path) == ["1 attempts to send without their message"])

        var unchecked = Configuration()
        unchecked.foreignKeysEnabled = false
        try DatabaseQueue(path: f.path, configuration: unchecked).write { db in
            try db.execute(sql: "INSERT INTO attempt_payloads (attempt, payload) VALUES (999, x'00')")
        }
        #expect(try SQLiteLedger.check(path: f.path).contains("1 messages without their attempt"))
    }

    @Test func aStepGivenBackByACancellationCanBeClaimedAgain() throws {
        let f = try LedgerFixture()
        #expect(try f.claim(f.message(["d1"])).count == 1)
        #expect(try f.ledger.pause(customerID: "c1", through: nil, reason: "asked", now: LedgerFixture.now) == 1)
        #expect(try f.claim(f.message(["d1"])).isEmpty == false, "a step given back by a cancellation can be claimed again")
        #expect(try SQLiteLedger.check(path: f.path).isEmpty)
    }

    @Test func quickCheckRefusesABrokenPage() throws {
        let f = try LedgerFixture()
        try LedgerDamage.breakPage(of: "events_debt", in: f.path)
        let error = try #require(throws: StoreError.self) { try SQLiteLedger(path: f.path).quickCheck() }
        #expect(error.kind == .damaged && error.message.contains("lembra restore"), "\(error)")
        #expect(try !SQLiteLedger.check(path: f.path).isEmpty)
    }

    @Test func aBackupIsMarkedPrivateAndTheLedgerIsNot() throws {
        let f = try LedgerFixture()
        let copy = f.dir.path("backup.sqlite").path
        try f.ledger.backup(to: copy, takenAt: LedgerFixture.now)
        #expect(try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? Int == 0o600)
        #expect(try SQLiteLedger(path: copy).backupTakenAt == LedgerFixture.now)
        #expect(f.ledger.backupTakenAt == nil)
        #expect(try SQLiteLedger(path: f.path).backupTakenAt == nil)
        #expect(!FileManager.default.fileExists(atPath: copy + ".partial"))
    }

    /// What a restore records: pending attempts and the steps that may have gone out become in
    /// doubt (reason `restored`), so none is claimed again; the backup's mark goes.
    @Test func recordRestoredPutsPendingAndMaybeSentStepsInDoubt() throws {
        let f = try LedgerFixture()
        let pending = try #require(try f.claim(f.message(["d1"])).first)
        let copy = f.dir.path("backup.sqlite").path
        try f.ledger.backup(to: copy, takenAt: LedgerFixture.now)
        let restored = try SQLiteLedger(path: copy)
        let later = try f.message(["d2"], step: "forgetful.4d")
        let thanks = try f.message(["d1"], step: "on_paid", kind: .thanks)
        let result = try restored.recordRestored(mayHaveGoneOut: [later, thanks, try f.message(["d1"])], now: LedgerFixture.now)
        #expect(result.pending == 1 && result.steps == 2, "\(result)")
        let status = try restored.status()
        #expect(status.attemptsByState["in_doubt"] == 3 && status.attemptsByState["claimed"] == nil, "\(status.attemptsByState)")
        #expect(status.inDoubt.allSatisfy { $0.reason == "restored" })
        #expect(status.inDoubt.contains { $0.id == pending })
        #expect(try f.claim(later, on: restored).isEmpty && f.claim(thanks, on: restored).isEmpty)
        #expect(try SQLiteLedger(path: copy).backupTakenAt == nil)
    }
}
