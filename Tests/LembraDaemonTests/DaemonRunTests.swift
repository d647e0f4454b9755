import Foundation
import GRDB
@testable import LembraDaemon
import LembraStore
import Testing
import TestSupport

/// The daemon's run in-process, on a real ledger: it ends by returning how it ended, never by
/// ending the process, so `lembra run` alone decides the exit status.
@Suite struct DaemonRunTests {
    /// The ledger deleted under the daemon before its first tick commits: the tick fails, and the
    /// run returns EX_UNAVAILABLE with the reason, logged as `stopped` (before, `exit(69)` in the
    /// library ended the process, test runner included).
    @Test func aLedgerGoneReturnsUnavailableAndLogsStopped() async throws {
        let f = try ConfigFixture()
        let (config, ledger) = try TickTests.setUp(f, count: 3)
        try FileManager.default.removeItem(atPath: config.database)
        let lines = LogfmtTests.Lines()
        let log = Logfmt(journal: false) { line in lines.value.withLock { $0.append(line) } }
        let daemon = Daemon(config: config, configPath: f.dir.path("lembra.yaml").path, ledger: ledger, log: log,
                            clock: Clock(pinnedAt: TickTests.now, advancing: true))

        let outcome = await daemon.run()

        #expect(outcome == DaemonOutcome(.unavailable, reason: "ledger replaced"))
        let logged = lines.value.withLock { $0 }.joined()
        #expect(logged.contains("level=notice event=started"), "\(logged)")
        #expect(logged.contains("level=error event=tick_failed"), "\(logged)")
        #expect(logged.hasSuffix("level=error event=stopped reason=\"ledger replaced\" exit=69\n"), "the last line: \(logged)")
        #expect(TickTests.sentFiles(f).isEmpty, "nothing is sent into a ledger that is gone")
    }

    /// A ledger busy past its timeout (another process holds the write lock; on PostgreSQL, a
    /// database down or slow past `statement_timeout`) fails that tick only: the daemon logs it,
    /// keeps running, and the next tick sends. Here the first tick meets SQLite's write lock held
    /// by a second connection, which lets go once the failure is logged; the ledger is deleted
    /// after the tick that sent, so the run then ends (as in the test above) and can be looked at.
    @Test func aBusyLedgerFailsOneTickAndTheDaemonGoesOn() async throws {
        let f = try ConfigFixture()
        var (config, _) = try TickTests.setUp(f, count: 3)
        config.tick = 1
        let ledger = try SQLiteLedger(path: config.database, busyTimeout: 0.05)
        let blocker = try Self.holdWriteLock(config.database)
        let lines = LogfmtTests.Lines()
        let database = config.database
        let log = Logfmt(journal: false) { line in
            lines.value.withLock { $0.append(line) }
            if line.contains("event=tick_failed"), line.contains("locked") {
                Self.release(blocker)
            } else if line.contains("event=tick "), line.contains("sent=3") {
                try? FileManager.default.removeItem(atPath: database)
            }
        }
        let daemon = Daemon(config: config, configPath: f.dir.path("lembra.yaml").path, ledger: ledger, log: log,
                            clock: Clock(pinnedAt: TickTests.now, advancing: true))

        let outcome = await daemon.run()

        let logged = lines.value.withLock { $0 }
        let busy = try #require(logged.firstIndex { $0.contains("event=tick_failed") }, "\(logged)")
        #expect(logged[busy].contains("the database is locked by another process"), "the first tick met the lock: \(logged[busy])")
        let sent = try #require(logged.firstIndex { $0.contains("event=tick ") && $0.contains("sent=3") }, "\(logged)")
        #expect(busy < sent, "the daemon went on after the busy tick")
        #expect(!logged[..<sent].contains { $0.contains("event=stopped") }, "\(logged)")
        #expect(outcome == DaemonOutcome(.unavailable, reason: "ledger replaced"), "ended only by the ledger deleted after")
        #expect(TickTests.sentFiles(f).count == 3)
    }

    /// A connection of its own on the ledger at `path` that takes the write lock and holds it.
    static func holdWriteLock(_ path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.allowsUnsafeTransactions = true // the transaction outlives the access that began it
        let blocker = try DatabaseQueue(path: path, configuration: config)
        try blocker.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        return blocker
    }

    static func release(_ blocker: DatabaseQueue) {
        try? blocker.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
    }
}
