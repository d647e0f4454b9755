import Foundation
import GRDB
@testable import LembraDaemon
@testable import LembraStore
import Synchronization
import Testing
import TestSupport

/// A channel's lanes sharing commits (`GroupCommit`): lanes that ask to commit while another
/// lane's commit is in flight are committed together, each getting back its own marks, and a
/// commit that fails is the result of every lane in it. On the real ledger file where it matters
/// (commits counted by SQLite's own commit notifications); a fault is put in only to make a
/// group fail.
@Suite struct GroupCommitTests {
    /// Three lanes with a batch each on the wire; the first to record holds the commit in flight
    /// (another connection keeps the write lock), the other two ask meanwhile. They share the
    /// next commit: two commits for three lanes, where each lane committing alone made three.
    /// Each lane gets back a batch of its own, marked `sending` in the commit that recorded its
    /// previous batch.
    @Test func lanesThatAskWhileACommitIsInFlightShareTheNextOne() throws {
        let dir = try TemporaryDirectory("lembra-group")
        let ledger = try BatchSourceTests.ledger(dir, debts: 9, busyTimeout: 60)
        let attempts = try BatchSourceTests.claimAll(ledger)
        let source = try BatchSourceTests.source(ledger, limit: 2, lanes: 3)
        source.finish()
        let first = try (0..<3).map { _ in try #require(try source.next(recording: [])) }
        let commits = CommitCounter()
        ledger.pool.add(transactionObserver: commits, extent: .observerLifetime)

        let blocker = try BatchSourceBusyTests.lock(ledger)
        let lanes = first.map { batch in Lane { () throws(StoreError) in try source.next(recording: batch.map { ($0.id, .sent) }) } }
        lanes[0].start()
        #expect(RunningLembra.waitUntil(timeout: 30) { source.committer.state.committing }, "the first lane's commit is in flight, waiting for the lock")
        lanes[1].start()
        lanes[2].start()
        #expect(RunningLembra.waitUntil(timeout: 30) { source.committer.state.waiting == 2 }, "the two others wait for it")
        try blocker.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
        let next = try lanes.map { try #require(try $0.join()) }

        #expect(commits.count == 2, "one commit for the first lane, one for the two that waited")
        #expect(next.allSatisfy { $0.count == 1 }, "each lane its own batch (a third of the three left)")
        let marked = next.flatMap { $0.map(\.id) }
        #expect(Set(marked).count == 3 && Set(marked).isDisjoint(with: first.flatMap { $0.map(\.id) }))
        #expect(Set(try ledger.interrupted(now: BatchSourceTests.now).map(\.id)) == Set(marked), "exactly the new batches are `sending`")
        #expect(try ledger.sendable(now: BatchSourceTests.now).isEmpty)
        #expect(attempts.count == 9)
    }

    /// A lane alone commits at once, without waiting for company: one commit per ask.
    @Test func aLaneAloneCommitsAtOnce() throws {
        let dir = try TemporaryDirectory("lembra-group")
        let ledger = try BatchSourceTests.ledger(dir, debts: 3)
        _ = try BatchSourceTests.claimAll(ledger)
        let commits = CommitCounter()
        ledger.pool.add(transactionObserver: commits, extent: .observerLifetime)
        let source = try BatchSourceTests.source(ledger, limit: 1, lanes: 1)
        source.finish()
        var outcomes: [(id: String, outcome: AttemptOutcome)] = []
        var batches = 0
        while let batch = try source.next(recording: outcomes) {
            batches += 1
            #expect(commits.count == batches, "this batch's mark committed before it was handed out")
            outcomes = batch.map { ($0.id, .sent) }
        }
        #expect(batches == 3 && commits.count == 4, "three marks, then the last outcomes")
    }

    /// A ledger that commits each request on its own (PostgreSQL, `sharesCommits` false): a
    /// lane commits while its sibling's commit is still in flight, alone, instead of queueing.
    @Test func withoutSharedCommitsEachLaneCommitsAtOnce() throws {
        let gate = DispatchSemaphore(value: 0)
        let groups = Groups()
        let committer = GroupCommit(grouping: false, sync: {}) { group in
            if groups.add(group.count) == 0 { gate.wait() } // the first commit stays in flight
            return group.map { _ in .success(["done"]) }
        }
        let lanes = ["a", "b"].map { id in
            Lane { () throws(StoreError) in try committer.commit(LaneCommit([(id, .sent)], markingSending: [id + "2"])).get() }
        }
        lanes[0].start()
        #expect(RunningLembra.waitUntil(timeout: 30) { groups.sizes.count == 1 })
        lanes[1].start()
        #expect(try lanes[1].join() == ["done"], "the second lane's commit ended while the first's was in flight")
        gate.signal()
        #expect(try lanes[0].join() == ["done"])
        #expect(groups.sizes == [1, 1])
    }

    /// A group whose commit fails (here: busy) fails for every lane in it, each with the error,
    /// and the group is tried once, not once per lane.
    @Test func aFailedGroupCommitIsTheResultOfEveryLaneInIt() throws {
        let gate = DispatchSemaphore(value: 0)
        let groups = Groups()
        let committer = GroupCommit(sync: {}) { group in
            if groups.add(group.count) == 0 {
                gate.wait() // the first commit stays in flight while the others ask
                return group.map { _ in .success(["first"]) }
            }
            return group.map { _ in .failure(StoreError(.busy, "group commit", "the database is locked")) }
        }
        let lanes = ["a", "b", "c"].map { id in
            Lane { () throws(StoreError) in try committer.commit(LaneCommit([(id, .sent)], markingSending: [id + "2"])).get() }
        }
        lanes[0].start()
        #expect(RunningLembra.waitUntil(timeout: 30) { committer.state.committing })
        lanes[1].start()
        lanes[2].start()
        #expect(RunningLembra.waitUntil(timeout: 30) { committer.state.waiting == 2 })
        gate.signal()

        #expect(try lanes[0].join() == ["first"])
        for lane in lanes.dropFirst() {
            let error = #expect(throws: StoreError.self) { try lane.join() }
            #expect(error?.kind == .busy, "each lane of the failed group gets its error")
        }
        #expect(groups.sizes == [1, 2], "the two that waited were one commit, and it failed for both")
    }

    /// A group's sync runs after its commit, out of the writer's turn: while the first lane waits
    /// for its sync, the next lane's group commits. Each lane's result comes only after a sync
    /// that began once its commit had ended.
    @Test func theNextGroupCommitsWhileTheLastOnesSyncRuns() throws {
        let gate = DispatchSemaphore(value: 0)
        let groups = Groups(), syncs = Groups()
        let committer = GroupCommit(sync: { () throws(StoreError) in
            if syncs.add(groups.sizes.count) == 0 { gate.wait() } // the first sync stays on the disk
        }) { group in
            _ = groups.add(group.count)
            return group.map { _ in .success(["done"]) }
        }
        let lanes = ["a", "b"].map { id in
            Lane { () throws(StoreError) in try committer.commit(LaneCommit([(id, .sent)], markingSending: [id + "2"])).get() }
        }
        lanes[0].start()
        #expect(RunningLembra.waitUntil(timeout: 30) { syncs.sizes.count == 1 }, "the first lane committed and waits for its sync")
        lanes[1].start()
        #expect(try lanes[1].join() == ["done"], "the second lane committed and synced while the first sync ran")
        gate.signal()
        #expect(try lanes[0].join() == ["done"])
        #expect(groups.sizes == [1, 1])
        #expect(syncs.sizes == [1, 2], "each sync began after its lane's commit (commits so far: 1, then 2)")
    }

    /// A batch reaches its lane only once the commit that marked it is on disk: the channel's
    /// committer syncs through the ledger (`GroupCommit(ledger:clock:)`, `WALSync`).
    @Test func aBatchIsHandedOutOnlyOnceItsMarkIsSynced() throws {
        let dir = try TemporaryDirectory("lembra-group")
        let made = try BatchSourceTests.ledger(dir, debts: 2)
        _ = try BatchSourceTests.claimAll(made)
        let flushes = Atomic<Int>(0)
        let ledger = try SQLiteLedger(path: made.path) { _ in WALSync { flushes.add(1, ordering: .relaxed); return 0 } }
        let source = try BatchSourceTests.source(ledger, limit: 1, lanes: 1)
        source.finish()
        let batch = try #require(try source.next(recording: []))
        #expect(batch.count == 1)
        #expect(flushes.load(ordering: .relaxed) == 1, "the mark's commit was synced before the batch came back")
    }

    /// A lane whose commit succeeded but whose sync failed gets the failure: it must not send
    /// what may not be on disk.
    @Test func aFailedSyncIsTheLanesResult() {
        let committer = GroupCommit(sync: { () throws(StoreError) in throw StoreError(.unavailable, "sync the ledger", "EIO") }) { group in
            group.map { _ in .success(["done"]) }
        }
        let result = committer.commit(LaneCommit([("a", .sent)], markingSending: ["a2"]))
        #expect(throws: StoreError.self) { try result.get() }
    }

    /// Lanes waiting behind a commit another process keeps busy: every lane's busy tries are
    /// its own (each logs and tries again, regrouped), and once the lock goes every lane's
    /// outcomes are recorded and its next batch marked: nothing is lost, nothing left `sending`.
    @Test func aBusyLedgerIsWaitedOutByEveryLaneOfTheGroup() throws {
        let dir = try TemporaryDirectory("lembra-group")
        // 12 tries of 0.2 s each: seconds between the sixth busy line and a lane giving up.
        let ledger = try BatchSourceTests.ledger(dir, debts: 6, busyTimeout: 0.2)
        _ = try BatchSourceTests.claimAll(ledger)
        let busy = BatchSourceBusyTests.BusyLog()
        let source = try BatchSourceTests.source(ledger, limit: 1, lanes: 3, log: busy.logfmt)
        source.finish()
        let first = try (0..<3).map { _ in try #require(try source.next(recording: [])) }
        let blocker = try BatchSourceBusyTests.lock(ledger)
        let lanes = first.map { batch in Lane { () throws(StoreError) in try source.next(recording: batch.map { ($0.id, .sent) }) } }
        lanes.forEach { $0.start() }
        #expect(RunningLembra.waitUntil(timeout: 30) { busy.busyLines.count >= 6 }, "the lanes met the lock, again and again")
        try blocker.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
        let next = try lanes.map { try #require(try $0.join()) }

        let marked = Set(next.flatMap { $0.map(\.id) })
        #expect(next.allSatisfy { $0.count == 1 } && marked.count == 3)
        #expect(Set(try ledger.interrupted(now: BatchSourceTests.now).map(\.id)) == marked,
                "the first batches' outcomes are recorded (none left `sending`), the next ones marked")
    }
}

/// Counts the transactions committed on a connection (SQLite's commit notifications, via GRDB).
private final class CommitCounter: TransactionObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var commits = 0
    var count: Int { lock.withLock { commits } }
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { lock.withLock { commits += 1 } }
    func databaseDidRollback(_ db: Database) {}
}

/// A lane's thread: runs `body` once started; `join` waits for its result.
private final class Lane<T>: @unchecked Sendable {
    private let body: () throws(StoreError) -> T
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, StoreError>?

    init(_ body: @escaping () throws(StoreError) -> T) { self.body = body }

    func start() {
        Thread {
            self.result = Result { () throws(StoreError) in try self.body() }
            self.done.signal()
        }.start()
    }

    func join() throws(StoreError) -> T {
        _ = done.wait(timeout: .now() + 60)
        guard let result else { throw StoreError(.unavailable, "lane", "did not finish") }
        return try result.get()
    }
}

/// The sizes of the groups a test committer was asked to commit, in order.
private final class Groups: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [Int] = []
    var sizes: [Int] { lock.withLock { all } }
    /// Adds a group's size; returns how many came before it.
    func add(_ size: Int) -> Int { lock.withLock { all.append(size); return all.count - 1 } }
}
