import Foundation
import Testing
import TestSupport

/// `database: postgres://…` on the built binary: a real PostgreSQL (initdb in a temp folder) and
/// a real SMTP server. The commands only SQLite has refuse with what to use instead, a database
/// down at start is a temporary failure, and the reminder flow runs on the shared ledger, with
/// two daemons at once sending each reminder once.
@Suite(.serialized) struct PostgresFlowTests {
    /// A port nothing listens on: the commands that must not connect, and a database down.
    static let nowhere = "postgres://lembra@127.0.0.1:1/lembra"

    /// The progress file goes in `state/` beside the config; `postgres` is the `postgres:` block.
    static func fixture(database: String, smtp: SMTPTestServer? = nil, postgres: String = "") throws -> Fixture {
        try Fixture(smtp: smtp, extraConfig: "state_directory: state\n\(postgres)", database: database)
    }

    /// `backup`, `restore` and `check-ledger` work on a SQLite file: on PostgreSQL they are a usage
    /// error (64) that says what to use, before any connection is tried.
    @Test func theSQLiteOnlyCommandsRefuseAPostgresLedger() throws {
        let f = try Self.fixture(database: Self.nowhere)
        let backup = try f.lembra("backup", f.dir.path("copy.sqlite").path)
        #expect(backup.status == 64, "\(backup)")
        #expect(backup.stderr.contains("backup: the ledger is on PostgreSQL"), "\(backup)")
        #expect(backup.stderr.contains("back it up with pg_dump"), "\(backup)")
        #expect(!FileManager.default.fileExists(atPath: f.dir.path("copy.sqlite").path))
        let restore = try f.lembra("restore", f.dir.path("copy.sqlite").path)
        #expect(restore.status == 64 && restore.stderr.contains("restore: the ledger is on PostgreSQL"), "\(restore)")
        let check = try f.lembra("check-ledger")
        #expect(check.status == 64 && check.stderr.contains("check-ledger: the ledger is on PostgreSQL"), "\(check)")
    }

    /// `check-config` names the ledger's kind and where it is, never the password.
    @Test func checkConfigShowsTheLedgerWithoutItsPassword() throws {
        let f = try Self.fixture(database: Self.nowhere, postgres: "postgres: { password_file: pg-password, pool_size: 4 }")
        let password = try f.dir.write("pg-password", "s3cret-pw\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: password.path)
        let result = try f.lembra("check-config")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("ledger: PostgreSQL \(Self.nowhere) (pool_size 4, statement_timeout 30s, lease 5m, password from password_file"),
                "\(result)")
        #expect(!(result.stdout + result.stderr).contains("s3cret"), "\(result)")
    }

    /// A database that can't be reached at start is temporary (75: systemd starts the daemon
    /// again), not a ledger gone (69), and nothing is created locally but the state directory.
    @Test func aDatabaseDownAtStartIsATemporaryFailure() throws {
        let f = try Self.fixture(database: Self.nowhere)
        let run = try f.lembra("run", "--once")
        #expect(run.status == 75, "\(run)")
        #expect(run.stderr.contains("the PostgreSQL ledger is unreachable"), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: f.dir.path("lembra.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: f.dir.path("lembra.sqlite.lock").path))
    }

    /// A database left read-only (`default_transaction_read_only`, here the server's) is a
    /// temporary failure, as a failover is, but the message names the setting and how to turn it
    /// off, not a standby: it won't pass by itself.
    @Test func aReadOnlyDatabaseIsNamedAsSuch() throws {
        let pg = try PostgresTestServer(settings: ["default_transaction_read_only=on"])
        let f = try Self.fixture(database: pg.url)
        let run = try f.lembra("run", "--once")
        #expect(run.status == 75, "\(run)")
        #expect(run.stderr.contains("default_transaction_read_only is on"), "\(run)")
        #expect(!run.stderr.contains("standby"), "\(run)")
    }

    /// The reminder flow of `ReminderFlowTests` on PostgreSQL: sent once, nothing on a second
    /// run, a payment stops the reminders and sends one thank-you. The progress file is in the
    /// state directory; no SQLite file or lock appears.
    @Test
    func remindersGoOutOnceOnPostgres() throws {
        let pg = try PostgresTestServer()
        let f = try Self.fixture(database: pg.url)
        try f.importCustomersWithOneDebtEach(2)

        let first = try f.lembra("run", "--once")
        #expect(first.status == 0, "\(first)\n\(pg.log)")
        #expect(first.stdout.contains("sent=2"), "\(first)")
        #expect(try f.received().count == 2)
        #expect(FileManager.default.fileExists(atPath: f.dir.path("state/progress").path), "the progress file is in state_directory")
        #expect(!FileManager.default.fileExists(atPath: f.dir.path("lembra.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: f.dir.path("lembra.sqlite.lock").path), "no lock: several daemons are the point")

        let second = try f.lembra("run", "--once")
        #expect(second.status == 0 && second.stdout.contains("sent=0"), "\(second)")
        #expect(!second.stderr.contains("NOTICE"), "the server's notices stay out of the log: \(second.stderr)")
        #expect(try f.received().count == 2, "a second tick at the same instant sends nothing")

        #expect(try f.lembra("pay", "d0").status == 0)
        #expect(try f.lembra("run", "--once", now: "2026-11-23T10:00:00-03:00").status == 0)
        let toC0 = try f.received().filter { $0["to"]?.contains("c0@example.com") == true }
        #expect(toC0.count == 2, "the reminder, then one thank-you: \(toC0.map { $0["subject"] ?? "" })")
        let status = try f.lembra("status")
        #expect(status.status == 0, "\(status)")
    }

    /// Two daemons' ticks at once on one database, each under its own `daemon_id`: neither
    /// refuses the other, and every reminder goes out exactly once between them.
    @Test
    func twoDaemonsAtOnceSendEachReminderOnce() throws {
        let pg = try PostgresTestServer()
        let f = try Self.fixture(database: pg.url, postgres: "postgres: { daemon_id: host-a }")
        try f.importCustomersWithOneDebtEach(40)
        let second = try Self.fixture(database: pg.url, smtp: f.smtp, postgres: "postgres: { daemon_id: host-b }")

        let a = try f.start("run", "--once"), b = try second.start("run", "--once")
        let (ra, rb) = (a.wait(), b.wait())
        #expect(ra.status == 0 && rb.status == 0, "\(ra)\n\(rb)\n\(pg.log)")
        let recipients = try f.received().compactMap { $0["to"] }
        #expect(recipients.count == 40, "\(recipients.count) e-mails")
        #expect(Set(recipients).count == 40, "no customer twice")
    }

    /// A second daemon under a `daemon_id` a live one holds is refused (75), naming the key:
    /// both would take the other's sends for their own. The id is free again once that daemon
    /// is gone, and taken back at once.
    @Test func aDaemonIDIsHeldByOneDaemonAtATime() throws {
        let pg = try PostgresTestServer()
        let f = try Self.fixture(database: pg.url, postgres: "postgres: { daemon_id: host-a }")
        try f.importCustomersWithOneDebtEach(1)
        let daemon = try f.start("run")
        #expect(RunningLembra.waitUntil { daemon.stderr.contains("event=started") }, "\(daemon.stderr)")
        let twin = try f.lembra("run", "--once")
        #expect(twin.status == 75, "\(twin)")
        #expect(twin.stderr.contains("another daemon is running with daemon_id host-a"), "\(twin)")
        daemon.signal(SIGTERM)
        #expect(daemon.wait().status == 0)
        let after = try f.lembra("run", "--once")
        #expect(after.status == 0, "\(after)")
    }

    /// A daemon started while the database is down waits for it (`event=ledger_unavailable`,
    /// trying again), then works as usual once it answers: it does not exit, which under
    /// systemd's start limit would leave it stopped for good after a few tries.
    @Test func aDaemonStartedWhileTheDatabaseIsDownWaitsForIt() throws {
        let port = try FreePort.pick()
        let f = try Self.fixture(database: "postgres://lembra@127.0.0.1:\(port)/postgres", postgres: "postgres: { daemon_id: host-a }")
        let daemon = try f.start("run")
        #expect(RunningLembra.waitUntil { daemon.stderr.contains("event=ledger_unavailable") }, "\(daemon.stderr)")
        let pg = try PostgresTestServer(port: port)
        try f.importCustomersWithOneDebtEach(2)
        #expect(RunningLembra.waitUntil(timeout: 60) { (try? f.received().count) == 2 }, "\(daemon.stderr)\n\(pg.log)")
        #expect(daemon.process.isRunning)
        daemon.signal(SIGTERM)
        #expect(daemon.wait().status == 0)
    }

    /// A stop while it waits ends the daemon at once, as a stop (0).
    @Test func aStopWhileWaitingForTheDatabaseEndsTheDaemon() throws {
        let f = try Self.fixture(database: Self.nowhere)
        let daemon = try f.start("run")
        #expect(RunningLembra.waitUntil { daemon.stderr.contains("event=ledger_unavailable") }, "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        let result = daemon.wait()
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("event=stopped"), "\(result)")
    }
}
