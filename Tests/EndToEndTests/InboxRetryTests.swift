import Foundation
import Testing
import TestSupport

/// A good file dropped while the ledger is locked by another process is not the file's fault:
/// it stays in the inbox and is imported on a later tick, never rejected.
@Suite(.serialized) struct InboxRetryTests {
    @Test func aFileMetByALockedLedgerWaitsForTheNextTick() throws {
        let f = try Fixture()
        #expect(try f.lembra("import", "customers", f.csv("c.csv", "id,name,email\nc1,Ana,ana@example.com\n")).status == 0)
        let daemon = try f.start("run")
        defer { if daemon.process.isRunning { daemon.signal(SIGTERM); _ = daemon.wait() } }
        #expect(RunningLembra.waitUntil(timeout: 30) { daemon.stderr.contains("event=tick ") }, "\(daemon.stderr)")

        let locker = try StorageFaultTests.holdExclusiveLock(f.dir.path("lembra.sqlite").path, in: f.dir)
        defer { locker.stop() }
        let inbox = f.dir.path("inbox")
        try f.dir.write("inbox/debts-1.csv", "id,customer_id,amount,due_date\nd1,c1,50.00,2026-11-17\n")
        #expect(RunningLembra.waitUntil(timeout: 60) { daemon.stderr.contains("event=import_deferred file=debts-1.csv") }, "\(daemon.stderr)")
        // A deferred file may be payments that stop reminders: that tick plans and sends nothing.
        #expect(RunningLembra.waitUntil(timeout: 60) { daemon.stderr.contains("event=tick_skipped reason=inbox_deferred") }, "\(daemon.stderr)")
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: inbox.appendingPathComponent("debts-1.csv").path), "the file stays in the inbox")
        #expect(!fm.fileExists(atPath: inbox.appendingPathComponent("rejected/debts-1.csv").path), "a lock is not bad data")
        #expect(!fm.fileExists(atPath: inbox.appendingPathComponent("rejected/debts-1.csv.error").path))

        locker.stop()
        #expect(RunningLembra.waitUntil(timeout: 60) { fm.fileExists(atPath: inbox.appendingPathComponent("done/debts-1.csv").path) },
                "imported once the lock is gone\n\(daemon.stderr)")
        #expect(RunningLembra.waitUntil(timeout: 30) { ((try? f.smtp.messages().count) ?? 0) == 1 }, "\(daemon.stderr)")
        #expect(!fm.fileExists(atPath: inbox.appendingPathComponent("rejected").path))
        daemon.signal(SIGTERM)
        #expect(daemon.wait().status == 0)
    }
}
