import Foundation
import GRDB
@testable import LembraStore
import LembraCore
import Synchronization
import Testing
import TestSupport

/// The ledger's promise: a commit is on disk when its write returns. The WAL is synced after the
/// commit, out of the writer's turn (`WALSync`), where SQLite's `synchronous = FULL` synced it inside.
@Suite struct DurabilityTests {
    @Test func theWriterLeavesTheSyncToWALSync() throws {
        let fixture = try LedgerFixture()
        // 1 = NORMAL: SQLite syncs only at checkpoints; every commit's sync is WALSync's.
        let level = try fixture.ledger.pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(level == 1)
        #expect(fixture.ledger.walSync != nil)
        let mode = try fixture.ledger.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    /// A ledger opened through a symlink syncs the WAL beside the real file, where SQLite keeps it.
    @Test func throughASymlinkTheRealWALIsSynced() throws {
        let fixture = try LedgerFixture()
        let link = fixture.dir.path("link.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fixture.path)
        let named = Mutex<String?>(nil)
        let ledger = try SQLiteLedger(path: link) { walPath in named.withLock { $0 = walPath }; return WALSync(walPath: walPath) }
        #expect(named.withLock { $0 } == fixture.path + "-wal")
        #expect(ledger.walSync != nil)
    }

    /// Without the WAL file to sync, every commit syncs itself, as before (`FULL`).
    @Test func withoutAWALToSyncEachCommitSyncsItself() throws {
        let dir = try TemporaryDirectory("lembra-store")
        let ledger = try SQLiteLedger(path: dir.path("ledger.sqlite").path, create: true) { _ in nil }
        let level = try ledger.pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(level == 2)
        try ledger.syncCommitted()
    }

    /// Each write syncs once, after its commit: the sync sees the commit done. A lanes' group
    /// commit leaves its sync to the caller (`syncCommitted`), so the channel's next group can
    /// commit meanwhile.
    @Test func everyWriteIsSyncedAfterItsCommitAGroupCommitWhenAsked() throws {
        let dir = try TemporaryDirectory("lembra-store")
        let seen = SyncLog()
        let ledger = try SQLiteLedger(path: dir.path("ledger.sqlite").path, create: true) { _ in
            WALSync { seen.flush(); return 0 }
        }
        seen.watch(ledger)
        _ = try ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c1", name: "Ana", email: "ana@example.com"))], now: LedgerFixture.now)
        #expect(seen.commitsSeen == [1], "one sync, which saw the import committed")

        _ = ledger.record(group: [LaneCommit([("att_none", .sent)])], now: LedgerFixture.now)
        #expect(seen.commitsSeen == [1], "the group commit did not sync")
        try ledger.syncCommitted()
        #expect(seen.commitsSeen == [1, 2], "its caller's sync did, after it")

        // A lane's commit on its own (outside a group) is a write like any other.
        _ = try ledger.record([], markingSending: ["att_none"], now: LedgerFixture.now)
        _ = try ledger.record([("att_none", .sent)], holding: ["att_none"], until: LedgerFixture.now, reason: "channel_down", now: LedgerFixture.now)
        try ledger.record([("att_none", .sent)], now: LedgerFixture.now)
        #expect(seen.commitsSeen == [1, 2, 3, 4, 5])
    }

    /// The tick's claim does not wait for its sync: nothing goes out on a claim alone, and the
    /// lane's `sending` mark, synced before its batch is sent and later in the WAL, makes the
    /// claim durable with it.
    @Test func theTicksClaimIsMadeDurableByTheMarkAfterIt() throws {
        let fixture = try LedgerFixture()
        let seen = SyncLog()
        let ledger = try SQLiteLedger(path: fixture.path) { _ in WALSync { seen.flush(); return 0 } }
        seen.watch(ledger)
        let version = try ledger.planningSnapshot(customerIDs: ["c1"], now: LedgerFixture.now).controlsVersion
        let request = ClaimRequest(attemptID: ClaimRequest.newAttemptID(now: LedgerFixture.now), message: try fixture.message(["d1"]), payload: Data("x".utf8))
        #expect(try ledger.claim([request], now: LedgerFixture.now, ifControlsAt: version) == .claimed([request.attemptID]))
        #expect(seen.commitsSeen == [], "the claim did not sync")
        let marked = ledger.record(group: [LaneCommit([], markingSending: [request.attemptID])], now: LedgerFixture.now)
        #expect(try marked[0].get() == [request.attemptID])
        try ledger.syncCommitted()
        #expect(seen.commitsSeen == [2], "one sync, after the claim and the mark")
    }

    /// A sync that fails fails its write, though the commit is made, and every write after it:
    /// what was committed since the last good sync may be lost, so nothing more is sent on its word.
    @Test func aFailedSyncFailsItsWriteAndEveryLaterOne() throws {
        let dir = try TemporaryDirectory("lembra-store")
        let failing = Atomic<Bool>(false), flushes = Atomic<Int>(0)
        let ledger = try SQLiteLedger(path: dir.path("ledger.sqlite").path, create: true) { _ in
            WALSync { flushes.add(1, ordering: .relaxed); return failing.load(ordering: .relaxed) ? EIO : 0 }
        }
        failing.store(true, ordering: .relaxed)
        let customer = Numbered(row: 2, value: Customer(id: "c1", name: "Ana", email: "ana@example.com"))
        let error = #expect(throws: StoreError.self) { try ledger.importCustomers([customer], now: LedgerFixture.now) }
        #expect(error?.kind == .unavailable && error?.message.contains("ledger.sqlite-wal") == true)
        let failedAt = flushes.load(ordering: .relaxed)
        failing.store(false, ordering: .relaxed)
        #expect(throws: StoreError.self) { try ledger.pause(customerID: "c1", through: nil, reason: "test", now: LedgerFixture.now) }
        let version = try ledger.planningSnapshot(customerIDs: ["c1"], now: LedgerFixture.now).controlsVersion
        #expect(throws: StoreError.self, "a claim, which leaves its sync to the next mark, is refused too") {
            try ledger.claim([], now: LedgerFixture.now, ifControlsAt: version)
        }
        #expect(flushes.load(ordering: .relaxed) == failedAt, "no sync tried again: the failure stands")
    }

    /// A write whose transaction ended under it (as SQLite ends one on a full disk) fails rather
    /// than report a commit that did not happen.
    @Test func aWriteWhoseTransactionEndedUnderItFails() throws {
        let fixture = try LedgerFixture()
        #expect(throws: StoreError.self) { try fixture.ledger.write("test") { db in try db.execute(sql: "ROLLBACK") } }
        try fixture.ledger.write("test") { _ in }  // and the next write starts a transaction as usual
    }
}

/// What each sync saw: how many transactions the ledger had committed when it ran.
private final class SyncLog: TransactionObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var commits = 0, seen: [Int] = []
    var commitsSeen: [Int] { lock.withLock { seen } }
    /// Counts the commits from now on (those of opening the ledger are not counted).
    func watch(_ ledger: SQLiteLedger) {
        ledger.pool.add(transactionObserver: self, extent: .observerLifetime)
        lock.withLock { commits = 0; seen = [] }
    }
    func flush() { lock.withLock { seen.append(commits) } }
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { lock.withLock { commits += 1 } }
    func databaseDidRollback(_ db: Database) {}
}
