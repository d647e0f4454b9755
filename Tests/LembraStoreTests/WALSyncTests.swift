import Foundation
@testable import LembraStore
import Synchronization
import Testing
import TestSupport

/// The WAL's sync, shared by the commits that ended while another ran (`WALSync`).
@Suite struct WALSyncTests {
    /// One commit and its caller at a time: a sync each. With nothing committed, nothing to sync.
    @Test func eachCommitAloneIsSyncedOnce() {
        let flushes = Atomic<Int>(0)
        let sync = WALSync { flushes.add(1, ordering: .relaxed); return 0 }
        #expect(sync.sync() == 0 && flushes.load(ordering: .relaxed) == 0)
        for _ in 0..<3 {
            sync.committed()
            #expect(sync.sync() == 0)
        }
        #expect(flushes.load(ordering: .relaxed) == 3)
    }

    /// Callers whose commits were counted before a running sync began wait for it; those that
    /// committed after it began share the next one: two syncs for four callers.
    @Test func aRunningSyncCoversTheCommitsBeforeItTheNextOneTheRest() {
        let gate = DispatchSemaphore(value: 0)
        let flushes = Atomic<Int>(0)
        let sync = WALSync {
            if flushes.add(1, ordering: .relaxed).oldValue == 0 { gate.wait() } // the first sync stays on the disk
            return 0
        }
        let results = Mutex<[Int32]>([])
        let callers = (0..<4).map { _ in Caller { let r = sync.sync(); results.withLock { $0.append(r) } } }
        sync.committed()
        sync.committed() // a group of two, committed together: the leader syncs first
        callers[0].start()
        #expect(RunningLembra.waitUntil(timeout: 30) { flushes.load(ordering: .relaxed) == 1 }, "the first sync runs")
        callers[1].start()
        #expect(RunningLembra.waitUntil(timeout: 30) { sync.state.waiting == 1 }, "the group's other member waits for it")
        sync.committed()
        sync.committed()
        callers[2].start()
        callers[3].start()
        #expect(RunningLembra.waitUntil(timeout: 30) { sync.state.waiting == 3 }, "two later commits wait too")
        gate.signal()
        for caller in callers { caller.join() }
        #expect(results.withLock { $0 } == [0, 0, 0, 0])
        #expect(flushes.load(ordering: .relaxed) == 2, "the group shared the first sync, the later two the second")
    }

    /// A failed sync is every later caller's answer too, without syncing again.
    @Test func aFailureStands() {
        let flushes = Atomic<Int>(0)
        let sync = WALSync { flushes.add(1, ordering: .relaxed); return EIO }
        sync.committed()
        #expect(sync.sync() == EIO)
        sync.committed()
        #expect(sync.sync() == EIO && sync.failed == EIO)
        #expect(flushes.load(ordering: .relaxed) == 1)
    }

    /// The real file: opened once, synced through its own descriptor; a missing file gives no syncer.
    @Test func syncsTheFileOrNothing() throws {
        let dir = try TemporaryDirectory("lembra-walsync")
        let path = dir.path("x-wal").path
        #expect(WALSync(walPath: path) == nil)
        #expect(FileManager.default.createFile(atPath: path, contents: Data("frames".utf8)))
        let sync = try #require(WALSync(walPath: path))
        sync.committed()
        #expect(sync.sync() == 0 && sync.state.flushes == 1)
    }
}

/// A caller on a thread of its own (not the global queue, whose threads two cores may not add in time).
private final class Caller: @unchecked Sendable {
    private let body: @Sendable () -> Void
    private let done = DispatchSemaphore(value: 0)
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    func start() { Thread { self.body(); self.done.signal() }.start() }
    func join() { _ = done.wait(timeout: .now() + 60) }
}
