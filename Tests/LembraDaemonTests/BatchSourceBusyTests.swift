import Foundation
import GRDB
@testable import LembraDaemon
import LembraStore
import Testing
import TestSupport

/// A lane's outcomes are the only record of what it sent: a ledger another process keeps locked
/// past the busy timeout (a CLI import holding the write lock) is waited out, not given up on.
/// A short busy timeout keeps these quick; a second connection holds `BEGIN IMMEDIATE`.
@Suite struct BatchSourceBusyTests {
    /// Each busy try the source logs signals `busy`; every line is kept for the assertions
    /// (here and in `GroupCommitTests`).
    final class BusyLog: @unchecked Sendable {
        let busy = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var lines: [String] = []
        var logfmt: Logfmt {
            Logfmt(journal: false) { line in
                self.lock.withLock { self.lines.append(line) }
                if line.contains("event=ledger_busy") { self.busy.signal() }
            }
        }
        var busyLines: [String] { lock.withLock { lines.filter { $0.contains("event=ledger_busy") } } }
    }

    /// A connection of its own on the ledger's file that takes the write lock and holds it.
    static func lock(_ ledger: SQLiteLedger) throws -> DatabaseQueue {
        var config = Configuration()
        config.allowsUnsafeTransactions = true // the transaction outlives the access that began it
        let blocker = try DatabaseQueue(path: ledger.path, configuration: config)
        try blocker.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        return blocker
    }

    /// The lock is released after two busy tries: the outcomes of the batch already sent are
    /// recorded by the third, and nothing is left `sending` for the next tick to call in doubt.
    @Test func outcomesAreRecordedOnceALongLockIsReleased() throws {
        let dir = try TemporaryDirectory("lembra-batches")
        // Busy tries of 0.5 s: the lane gives up after a dozen, so this thread has seconds, not
        // a fraction of one, to release the lock after the second.
        let ledger = try BatchSourceTests.ledger(dir, debts: 2, busyTimeout: 0.5)
        let attempts = try BatchSourceTests.claimAll(ledger)
        let log = BusyLog()
        let source = try BatchSourceTests.source(ledger, limit: 8, lanes: 1, log: log.logfmt)
        source.finish()
        let batch = try #require(try source.next(recording: []))
        #expect(batch.count == 2)

        let blocker = try Self.lock(ledger)
        let done = DispatchSemaphore(value: 0)
        let result = Outcome()
        Thread {
            result.set(Result { () throws(StoreError) in try source.next(recording: batch.map { ($0.id, .sent) }) })
            done.signal()
        }.start()
        #expect(log.busy.wait(timeout: .now() + 30) == .success, "first busy try logged")
        #expect(log.busy.wait(timeout: .now() + 30) == .success, "second busy try logged")
        try blocker.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
        #expect(done.wait(timeout: .now() + 30) == .success)

        #expect(try result.get() == nil, "recorded, and nothing left to send")
        #expect(log.busyLines.count >= 2)
        #expect(log.busyLines.allSatisfy { $0.hasPrefix("level=warning") && $0.contains("channel=email") })
        #expect(try ledger.interrupted(now: BatchSourceTests.now).isEmpty, "no attempt left `sending`: none will be called in doubt")
        #expect(try ledger.sendable(now: BatchSourceTests.now).isEmpty)
        #expect(attempts.count == 2)
    }

    /// A lock that is never released: the lane gives up after `busyTries`, with the busy error.
    @Test func aLockThatOutlastsEveryTryEndsTheLaneWithBusy() throws {
        let dir = try TemporaryDirectory("lembra-batches")
        let ledger = try BatchSourceTests.ledger(dir, debts: 1, busyTimeout: 0.02)
        _ = try BatchSourceTests.claimAll(ledger)
        let log = BusyLog()
        let source = try BatchSourceTests.source(ledger, limit: 8, lanes: 1, log: log.logfmt)
        source.finish()
        let batch = try #require(try source.next(recording: []))
        let blocker = try Self.lock(ledger)
        defer { try? blocker.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") } }
        #expect(throws: StoreError.self) { try source.next(recording: batch.map { ($0.id, .sent) }) }
        #expect(log.busyLines.count == BatchSource.busyTries - 1, "a warning for every try but the last, which throws")
    }
}

/// The lane thread's result, handed to the test.
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<[Attempt]?, StoreError>?
    func set(_ r: Result<[Attempt]?, StoreError>) { lock.withLock { value = r } }
    func get() throws -> [Attempt]? { try lock.withLock { value }!.get() }
}
