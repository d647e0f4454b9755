import Foundation
import GRDB
@testable import LembraStore
import Synchronization
import Testing
import TestSupport

/// The WAL copied back into the database on a thread of its own, not inside a commit (`Checkpointer`).
@Suite struct CheckpointerTests {
    /// Below the threshold nothing happens; from it, the commit only asks the thread for a pass;
    /// from four times it, the commit checkpoints itself, as SQLite's own checkpoint would.
    @Test func aCommitAsksForAPassAndPastTheBackstopCheckpointsItself() {
        let passes = Atomic<Int>(0)
        let checkpointer = Checkpointer(threshold: 10, pass: { passes.add(1, ordering: .relaxed) })
        defer { checkpointer.close() }
        var inline = 0
        checkpointer.walGrew(to: 9) { inline += 1 }
        #expect(checkpointer.state.passes == 0 && !checkpointer.state.busy && inline == 0)
        checkpointer.walGrew(to: 10) { inline += 1 }
        #expect(RunningLembra.waitUntil(timeout: 30) { checkpointer.state.passes == 1 && !checkpointer.state.busy })
        #expect(inline == 0, "the commit left the checkpoint to the thread")
        checkpointer.walGrew(to: 40) { inline += 1 }
        #expect(inline == 1 && checkpointer.state.passes == 1 && !checkpointer.state.busy)
    }

    /// A pass each time the WAL has grown by the threshold since the last request, not one per
    /// commit; again from the threshold once the WAL started over.
    @Test func aPassForEachThresholdOfGrowth() {
        let passes = Atomic<Int>(0)
        let checkpointer = Checkpointer(threshold: 10, pass: { passes.add(1, ordering: .relaxed) })
        defer { checkpointer.close() }
        let settled = { (count: Int) in RunningLembra.waitUntil(timeout: 30) { checkpointer.state.passes == count && !checkpointer.state.busy } }
        checkpointer.walGrew(to: 10) {}
        #expect(settled(1))
        checkpointer.walGrew(to: 15) {}
        checkpointer.walGrew(to: 19) {}
        #expect(settled(1), "grown by less than the threshold since the request")
        checkpointer.walGrew(to: 20) {}
        #expect(settled(2))
        checkpointer.walGrew(to: 3) {} // the WAL started over
        checkpointer.walGrew(to: 10) {}
        #expect(settled(3))
        #expect(passes.load(ordering: .relaxed) == 3)
    }

    /// Requests made during a pass ask for one more pass, not one each.
    @Test func requestsDuringAPassShareTheNextOne() {
        let gate = DispatchSemaphore(value: 0)
        let passes = Atomic<Int>(0)
        let checkpointer = Checkpointer(threshold: 10, pass: {
            if passes.add(1, ordering: .relaxed).oldValue == 0 { gate.wait() }
        })
        defer { checkpointer.close() }
        checkpointer.walGrew(to: 10) {}
        #expect(RunningLembra.waitUntil(timeout: 30) { passes.load(ordering: .relaxed) == 1 }, "the first pass runs")
        checkpointer.walGrew(to: 20) {}
        checkpointer.walGrew(to: 30) {}
        gate.signal()
        #expect(RunningLembra.waitUntil(timeout: 30) { checkpointer.state.passes == 2 && !checkpointer.state.busy })
        #expect(passes.load(ordering: .relaxed) == 2)
    }

    /// `close` waits for the pass that runs, then releases the connection; later commits start none.
    @Test func closeWaitsForThePassThenReleases() {
        let gate = DispatchSemaphore(value: 0)
        let running = Atomic<Bool>(false), released = Atomic<Bool>(false), closed = Atomic<Bool>(false)
        let checkpointer = Checkpointer(threshold: 10, pass: { running.store(true, ordering: .relaxed); gate.wait() },
                                        release: { released.store(true, ordering: .relaxed) })
        checkpointer.walGrew(to: 10) {}
        #expect(RunningLembra.waitUntil(timeout: 30) { running.load(ordering: .relaxed) })
        Thread { checkpointer.close(); closed.store(true, ordering: .relaxed) }.start()
        #expect(!RunningLembra.waitUntil(timeout: 0.2) { closed.load(ordering: .relaxed) }, "close waits for the pass")
        let releasedEarly = released.load(ordering: .relaxed)
        #expect(!releasedEarly)
        gate.signal()
        #expect(RunningLembra.waitUntil(timeout: 30) { closed.load(ordering: .relaxed) && released.load(ordering: .relaxed) })
        checkpointer.walGrew(to: 20) {}
        #expect(checkpointer.state.passes == 1 && !checkpointer.state.busy)
    }

    /// The ledger's writer: a commit that carries the WAL past the threshold returns with its
    /// pages still only in the WAL (SQLite's own checkpoint would have copied them into the
    /// database inside that commit); the thread's pass copies them.
    @Test func aBigCommitReturnsBeforeTheThreadCopiesIt() throws {
        let dir = try TemporaryDirectory("lembra-store")
        let path = dir.path("ledger.sqlite").path
        let gate = DispatchSemaphore(value: 0)
        let made = Mutex<Checkpointer?>(nil)
        let ledger = try SQLiteLedger(path: path, create: true, syncer: { WALSync(walPath: $0) }, checkpointer: { path in
            guard let connection = Checkpointer.Connection(path: path) else { return nil }
            let checkpointer = Checkpointer(pass: { gate.wait(); connection.checkpoint() }, release: connection.close)
            made.withLock { $0 = checkpointer }
            return checkpointer
        })
        let checkpointer = try #require(made.withLock { $0 })
        let before = try Self.size(path)
        // 6 MB in one commit: about 1,500 pages of WAL, past the threshold and under the backstop.
        try ledger.write("test") { db in
            try db.execute(sql: "CREATE TABLE scratch (b BLOB)")
            for _ in 0..<6 { try db.execute(sql: "INSERT INTO scratch VALUES (zeroblob(1000000))") }
        }
        #expect(checkpointer.state.busy, "the commit asked for a pass")
        #expect(try Self.size(path) < before + 1_000_000, "and did not copy its pages itself")
        gate.signal()
        #expect(RunningLembra.waitUntil(timeout: 30) { checkpointer.state.passes == 1 && !checkpointer.state.busy })
        #expect(try Self.size(path) >= before + 6_000_000, "the thread's pass copied them")
    }

    /// Every ledger gets one, and closing the ledger closes it.
    @Test func theLedgerClosesItsCheckpointer() throws {
        let dir = try TemporaryDirectory("lembra-store")
        let released = Atomic<Bool>(false)
        var ledger: SQLiteLedger? = try SQLiteLedger(path: dir.path("ledger.sqlite").path, create: true, syncer: { WALSync(walPath: $0) },
                                                     checkpointer: { _ in Checkpointer(pass: {}, release: { released.store(true, ordering: .relaxed) }) })
        #expect(ledger?.checkpointer != nil)
        #expect(try SQLiteLedger(path: dir.path("ledger.sqlite").path).checkpointer != nil, "the default opens its connection")
        ledger = nil
        let releasedAtClose = released.load(ordering: .relaxed)
        #expect(releasedAtClose)
    }

    private static func size(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
