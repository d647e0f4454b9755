import Foundation
import Testing
import TestSupport

/// A PostgreSQL ledger put back from a dump (`pg_dump`, `pg_restore`, both real): `lembra restore
/// --since TIME` records what may have gone out since the dump, as a SQLite restore does, so
/// nothing is sent twice. The history is `RestoreTests`': d1's reminder before the dump, d2's
/// and d3's after it, d1's second one later.
@Suite(.serialized) struct PostgresRestoreTests {
    /// A ledger that sent d1's reminder on Wednesday, was dumped, then sent d2's and d3's on
    /// Thursday; the dump is then put back over it.
    func restoredHistory() throws -> (PostgresTestServer, Fixture) {
        let pg = try PostgresTestServer()
        let f = try PostgresFlowTests.fixture(database: pg.url)
        #expect(try f.lembra("import", "customers", f.csv("c.csv", RestoreTests.customers)).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", RestoreTests.debts)).status == 0)
        #expect(try f.lembra("run", "--once", now: RestoreTests.wednesday).status == 0)
        let dump = f.dir.path("lembra.dump")
        try pg.dump(to: dump)
        #expect(try f.lembra("run", "--once", now: RestoreTests.thursday).status == 0)
        #expect(try f.smtp.messages().count == 3)
        try pg.restore(from: dump)
        return (pg, f)
    }

    @Test func aRestoredDumpSendsNothingTwiceAndListsWhatMayHaveGoneOut() throws {
        let (pg, f) = try restoredHistory()
        let restore = try f.lembra("restore", "--since", RestoreTests.backupTime, now: RestoreTests.restoreTime)
        #expect(restore.status == 0, "\(restore)\n\(pg.log)")
        #expect(restore.stdout.contains("0 attempts pending in the dump and 2 steps due since it was taken"), "\(restore)")
        #expect(restore.stdout.contains("(taken at 2026-11-18 11:00 -03:00)"), "the business's clock\n\(restore)")

        try RestoreTests.expectNothingSentAgainAndTheTwoListed(f)
        // Recorded once: a second run finds the steps in the ledger and the attempts in doubt.
        let again = try f.lembra("restore", "--since", RestoreTests.backupTime, now: RestoreTests.restoreTime)
        #expect(again.stdout.contains("0 attempts pending in the dump and 0 steps due since it was taken"), "\(again)")
        // The next step after the restore is not in doubt: it goes out as usual.
        #expect(try f.lembra("run", "--once", now: "2026-11-21T10:00:00-03:00").status == 0)
        #expect(try f.smtp.messages().count == 4, "d1's second reminder went out")
    }

    /// Without the dump's time there is nothing safe to assume (too late a time would let a
    /// step that went out go out again): a usage error, as is a file, which only SQLite takes,
    /// or a time still to come. Nothing is recorded.
    @Test func theDumpsTimeIsNeededAndNothingElse() throws {
        let (pg, f) = try restoredHistory()
        let bare = try f.lembra("restore", now: RestoreTests.restoreTime)
        #expect(bare.status == 64 && bare.stderr.contains("--since TIME is needed"), "\(bare)")
        let file = try f.lembra("restore", "backup.sqlite", "--since", RestoreTests.backupTime, now: RestoreTests.restoreTime)
        #expect(file.status == 64 && file.stderr.contains("put the dump back with pg_restore"), "\(file)")
        let future = try f.lembra("restore", "--since", "2026-11-20T10:00:00-03:00", now: RestoreTests.restoreTime)
        #expect(future.status == 64 && future.stderr.contains("is later than now"), "\(future)")
        #expect(try f.lembra("status", now: RestoreTests.restoreTime).stdout.contains("in_doubt 0"), "\(pg.log)")
    }

    /// A daemon connected to the database would send what the restore is about to record: the
    /// restore is refused (75, try again) while any Lembra session is connected, and records
    /// nothing.
    @Test func aRunningDaemonRefusesTheRestore() throws {
        let (pg, f) = try restoredHistory()
        let daemon = try f.start("run", now: "2026-11-18T10:30:00-03:00")
        #expect(RunningLembra.waitUntil { daemon.stderr.contains("event=started") }, "\(daemon.stderr)")
        let refused = try f.lembra("restore", "--since", RestoreTests.backupTime, now: RestoreTests.restoreTime)
        #expect(refused.status == 75, "\(refused)")
        #expect(refused.stderr.contains("other Lembra session") && refused.stderr.contains("nothing recorded"), "\(refused)")
        daemon.signal(SIGTERM)
        #expect(daemon.wait().status == 0)
        #expect(try f.lembra("status", now: RestoreTests.restoreTime).stdout.contains("in_doubt 0"), "\(pg.log)")
    }
}
