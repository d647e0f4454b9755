import Foundation
import Testing
import TestSupport

/// Putting a backup back. A backup knows nothing of what went out after it was taken: `lembra
/// restore` records those steps as in doubt, so they are never sent twice, while a copy put back
/// by hand is refused.
@Suite(.serialized) struct RestoreTests {
    /// Three debts whose steps fall due on different days: d1's first reminder on Wednesday
    /// 18/11 (before the backup), d2's and d3's (a notice 3 days before its due date) on Thursday
    /// 19/11 (after it), d1's second on Saturday 21/11.
    static let customers = "id,name,email\nc1,Ana,ana@example.com\nc2,Bia,bia@example.com\nc3,Caio,caio@example.com\n"
    static let debts = "id,customer_id,amount,due_date\nd1,c1,10.00,2026-11-17\nd2,c2,20.00,2026-11-18\nd3,c3,30.00,2026-11-22\n"
    static let wednesday = "2026-11-18T10:00:00-03:00", backupTime = "2026-11-18T11:00:00-03:00"
    static let thursday = "2026-11-19T10:00:00-03:00", restoreTime = "2026-11-19T12:00:00-03:00"

    /// A ledger that sent d1's reminder on Wednesday, was backed up at 11:00, then sent d2's and
    /// d3's on Thursday.
    func history() throws -> (Fixture, backup: String) {
        let f = try Fixture()
        #expect(try f.lembra("import", "customers", f.csv("c.csv", Self.customers)).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", Self.debts)).status == 0)
        #expect(try f.lembra("run", "--once", now: Self.wednesday).status == 0)
        let backup = f.dir.path("backup.sqlite").path
        let made = try f.lembra("backup", backup, now: Self.backupTime)
        #expect(made.status == 0, "\(made)")
        #expect(try f.lembra("run", "--once", now: Self.thursday).status == 0)
        #expect(try f.smtp.messages().count == 3)
        return (f, backup)
    }

    /// After a restore of `history()`: a tick sends nothing again, and d2's and d3's steps (due
    /// after the copy was taken) are listed in doubt.
    static func expectNothingSentAgainAndTheTwoListed(_ f: Fixture) throws {
        #expect(try f.lembra("run", "--once", now: restoreTime).status == 0)
        #expect(try f.smtp.messages().count == 3, "a reminder sent after the copy was taken went out again")
        let status = try f.lembra("status", now: restoreTime)
        #expect(status.stdout.contains("in_doubt 2"), "\(status)")
        for debt in ["d2", "d3"] {
            #expect(status.stdout.split(separator: "\n").contains { $0.contains("debt=\(debt) ") && $0.contains("reason=\"restored\"") },
                    "\(debt) is listed in doubt\n\(status)")
        }
    }

    @Test func aRestoredBackupSendsNothingTwiceAndListsWhatMayHaveGoneOut() throws {
        let (f, backup) = try history()
        let restore = try f.lembra("restore", backup, now: Self.restoreTime)
        #expect(restore.status == 0, "\(restore)")
        #expect(restore.stdout.contains("0 attempts pending in the backup and 2 steps due since it was taken"), "\(restore)")
        #expect(restore.stdout.contains("the ledger it replaced is kept as"), "\(restore)")
        #expect(restore.stdout.contains("(taken at 2026-11-18 11:00 -03:00) restored"), "the business's clock\n\(restore)")

        try Self.expectNothingSentAgainAndTheTwoListed(f)
        let status = try f.lembra("status", now: Self.restoreTime)
        // Times in the business's zone with its offset, or in UTC for scripts (`--utc`).
        #expect(status.stdout.contains("channel=email at=2026-11-19 12:00 -03:00 reason=\"restored\""), "\(status)")
        let utc = try f.lembra("status", "--utc", now: Self.restoreTime)
        #expect(utc.stdout.contains("channel=email at=2026-11-19T15:00:00Z reason=\"restored\""), "\(utc)")
        // The next step after the restore is not in doubt: it goes out as usual.
        #expect(try f.lembra("run", "--once", now: "2026-11-21T10:00:00-03:00").status == 0)
        #expect(try f.smtp.messages().count == 4, "d1's second reminder went out")
    }

    /// A backup whose attempt counts drifted from its attempts (what `check-ledger` calls exit 65,
    /// not damage) is restored, its counts written anew from its rows.
    @Test func aBackupWhoseCountsDriftedIsRestoredAndCountedAgain() throws {
        let (f, backup) = try history()
        try LedgerDamage.skewAttemptCount(backup, state: "sent", by: 7)
        let restore = try f.lembra("restore", backup, now: Self.restoreTime)
        #expect(restore.status == 0, "\(restore)")
        let status = try f.lembra("status", now: Self.restoreTime)
        #expect(status.stdout.contains("sent 2,") && !status.stdout.contains("sent 9"), "\(status)")
        #expect(try f.lembra("check-ledger").status == 0)
    }

    /// The README's old procedure: stop, copy the backup over the ledger, start. The daemon
    /// refuses the copy (it carries the backup's mark) and says to use `lembra restore`.
    @Test func aBackupCopiedBackByHandIsRefused() throws {
        let (f, backup) = try history()
        let database = f.dir.path("lembra.sqlite").path
        try FileManager.default.removeItem(atPath: database)
        try FileManager.default.copyItem(atPath: backup, toPath: database)
        for args in [["run", "--once"], ["run"], ["pay", "d1"]] {
            let run = try #require(try f.lembra(within: 30, args, now: Self.restoreTime), "\(args) ran on")
            #expect(run.status == 69, "\(run)")
            #expect(run.stderr.contains("copy made by `lembra backup` at 2026-11-18 11:00 -03:00") && run.stderr.contains("lembra restore"), "\(run)")
        }
        #expect(try f.lembra("status", now: Self.restoreTime).status == 0, "reading it is fine")
        #expect(try f.smtp.messages().count == 3)

        // Restoring the copy in place works too.
        #expect(try f.lembra("restore", database, now: Self.restoreTime).status == 0)
        #expect(try f.lembra("run", "--once", now: Self.restoreTime).status == 0)
        #expect(try f.smtp.messages().count == 3)
    }

    @Test func restoreRefusesWhileADaemonRuns() throws {
        let (f, backup) = try history()
        let daemon = try f.start("run", now: Self.restoreTime)
        #expect(RunningLembra.waitUntil(timeout: 30) { daemon.stderr.contains("event=tick ") }, "\(daemon.stderr)")
        let restore = try f.lembra("restore", backup, now: Self.restoreTime)
        #expect(restore.status == 75, "\(restore)")
        #expect(restore.stderr.contains("another lembra") && restore.stderr.contains("stop it before restoring"), "\(restore)")
        daemon.signal(SIGTERM)
        #expect(daemon.wait().status == 0)
        #expect(try f.lembra("status", now: Self.restoreTime).stdout.contains("sent 3"))
    }

    @Test func restoreRefusesAFileThatIsNoLedger() throws {
        let (f, _) = try history()
        let restore = try f.lembra("restore", f.csv("notes.csv", "id,name\n"), now: Self.restoreTime)
        #expect(restore.status == 65, "\(restore)")
        #expect(restore.stderr.contains("notes.csv: not a Lembra ledger"), "\(restore)")
        #expect(try f.lembra("run", "--once", now: Self.restoreTime).status == 0, "the ledger in use is untouched")
        #expect(try f.smtp.messages().count == 3)
    }

    /// A SQLite ledger is restored from a file, whose time it carries: no file, or a `--since`
    /// (PostgreSQL's), is a usage error that names what to give instead.
    @Test func restoreNeedsTheBackupAndNoTime() throws {
        let (f, backup) = try history()
        let bare = try f.lembra("restore", now: Self.restoreTime)
        #expect(bare.status == 64 && bare.stderr.contains("name the backup to install"), "\(bare)")
        let since = try f.lembra("restore", backup, "--since", Self.backupTime, now: Self.restoreTime)
        #expect(since.status == 64 && since.stderr.contains("--since is for a PostgreSQL database"), "\(since)")
        #expect(try f.lembra("status", now: Self.restoreTime).stdout.contains("sent 3"), "nothing restored")
    }
}
