import Foundation
@testable import LembraStore
import Synchronization
import Testing
import TestSupport

/// The WAL's sync, shared by the commits that ended while another ran (`WALSync`).
@Suite struct WALSyncTests {
    /// One caller at a time: each gets a sync of its own.
    @Test func eachCallerAloneSyncsOnce() {
        let flushes = Atomic<Int>(0)
        let sync = WALSync { flushes.add(1, ordering: .relaxed); return 0 }
        for _ in 0..<3 { #expect(sync.sync() == 0) }
        #expect(flushes.load(ordering: .relaxed) == 3)
    }

    /// Two callers that ask while a sync runs may have committed after it began, so they wait for
    /// the next one, and share it: two syncs for three callers.
    @Test func callersThatAskDuringASyncShareTheNextOne() {
        let gate = DispatchSemaphore(value: 0)
        let flushes = Atomic<Int>(0)
        let sync = WALSync {
            if flushes.add(1, ordering: .relaxed).oldValue == 0 { gate.wait() } // the first sync stays on the disk
            return 0
        }
        let done = DispatchGroup()
        let results = Mutex<[Int32]>([])
        func caller() {
            DispatchQueue.global().async(group: done) { let r = sync.sync(); results.withLock { $0.append(r) } }
        }
        caller()
        #expect(RunningLembra.waitUntil(timeout: 30) { sync.state.flushes == 0 && flushes.load(ordering: .relaxed) == 1 }, "the first sync runs")
        caller()
        caller()
        #expect(RunningLembra.waitUntil(timeout: 30) { sync.state.asked == 3 }, "the two others asked meanwhile")
        gate.signal()
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(results.withLock { $0 } == [0, 0, 0])
        #expect(flushes.load(ordering: .relaxed) == 2, "the two that asked during the first sync shared the second")
    }

    /// A failed sync is every later caller's answer too, without syncing again.
    @Test func aFailureStands() {
        let flushes = Atomic<Int>(0)
        let sync = WALSync { flushes.add(1, ordering: .relaxed); return EIO }
        #expect(sync.sync() == EIO)
        #expect(sync.sync() == EIO)
        #expect(flushes.load(ordering: .relaxed) == 1)
    }

    /// The real file: opened once, synced through its own descriptor; a missing file gives no syncer.
    @Test func syncsTheFileOrNothing() throws {
        let dir = try TemporaryDirectory("lembra-walsync")
        let path = dir.path("x-wal").path
        #expect(WALSync(walPath: path) == nil)
        #expect(FileManager.default.createFile(atPath: path, contents: Data("frames".utf8)))
        let sync = try #require(WALSync(walPath: path))
        #expect(sync.sync() == 0 && sync.state.flushes == 1)
    }
}
