import Foundation
@testable import LembraDaemon
import LembraPostgres
import Testing
import TestSupport

/// `database: postgres://…` with its `postgres:` block: the URL without a password, the password
/// from a file only the daemon reads, bounds that keep a lease longer than a stalled statement,
/// and each problem named by file, line and key.
@Suite struct PostgresConfigTests {
    static let rest = [ConfigFixture.business, ConfigFixture.outbox, ConfigFixture.ladders].joined(separator: "\n")

    /// The config with `lines` first (so problems are on known lines).
    static func yaml(_ lines: String...) -> String { (lines + [rest]).joined(separator: "\n") }

    @Test(arguments: ["postgres://lembra@db.example:5432/lembra", "postgresql://lembra@db.example/lembra?sslmode=require"])
    func aPostgresURLIsTheLedgerWithTheDocumentedDefaults(url: String) throws {
        let f = try ConfigFixture()
        let c = try f.load(Self.yaml("database: \(url)"))
        let postgres = try #require(c.postgres)
        #expect(c.database == url, "the URL as written: it holds no secret")
        #expect(postgres.url == url)
        #expect(postgres.password == nil)
        #expect(postgres.poolSize == 8)
        #expect(postgres.statementTimeout == 30_000)
        #expect(postgres.leaseSeconds == 300)
        #expect(postgres.owner == PostgresLedgerSettings.defaultOwner(), "one daemon per host: the host's name")
        #expect(PostgresLedgerSettings.isValidOwner(postgres.owner))
        #expect(c.stateDirectory == "/var/lib/lembra")
        #expect(c.progressFile == "/var/lib/lembra/progress")
        #expect(c.ledgerDescription == "PostgreSQL \(url) (pool_size 8, statement_timeout 30s, lease 5m, password none, "
                + "daemon_id \(PostgresLedgerSettings.defaultOwner()), state_directory /var/lib/lembra)")
    }

    @Test func theBlockSetsThePoolTheTimeoutTheLeaseAndThePassword() throws {
        let f = try ConfigFixture()
        let password = try f.dir.write("pg-password", "s3cret-pw\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: password.path)
        let c = try f.load(Self.yaml("database: postgres://lembra@db.example/lembra",
                                     "postgres: { password_file: pg-password, pool_size: 16, statement_timeout: 10s, lease: 2m, daemon_id: host-b.1 }",
                                     "state_directory: state"))
        let postgres = try #require(c.postgres)
        #expect(postgres.password == "s3cret-pw", "read from the file, the newline dropped")
        #expect(postgres.poolSize == 16)
        #expect(postgres.statementTimeout == 10_000)
        #expect(postgres.leaseSeconds == 120)
        #expect(postgres.owner == "host-b.1")
        #expect(c.progressFile == f.dir.path("state").standardizedFileURL.path + "/progress", "relative to the config's folder")
        #expect(!c.ledgerDescription.contains("s3cret"), "check-config never shows the password: \(c.ledgerDescription)")
    }

    /// SQLite keeps its progress file beside the database, whatever `state_directory:` says.
    @Test func aSQLiteLedgerKeepsItsProgressFileBesideIt() throws {
        let f = try ConfigFixture()
        let c = try f.load(Self.yaml("database: ledger.sqlite", "state_directory: /elsewhere"))
        #expect(c.postgres == nil)
        #expect(c.progressFile == f.dir.path("ledger.sqlite").standardizedFileURL.path + ".progress")
        #expect(c.ledgerDescription == "SQLite \(f.dir.path("ledger.sqlite").standardizedFileURL.path)")
    }

    @Test func aPasswordInTheURLIsRefusedAndNotRepeated() throws {
        let f = try ConfigFixture()
        for url in ["postgres://lembra:s3cret@db.example/lembra", "postgres://lembra@db.example/lembra?password=s3cret",
                    "postgres://lembra:s3cret@db1:5432,db2:5432/lembra", "postgresql://lembra@db1,db2/lembra?sslmode=require&Password=s3cret",
                    "postgres://lembra@db.example/lembra?pass%77ord=s3cret", "postgres://lembra@db.example/lembra?sslpassword=s3cret",
                    "postgres://lembra:pa/s3cret@db.example/lembra"] {
            let problems = f.problems(Self.yaml("database: \(url)"))
            #expect(problems.contains { $0.hasPrefix("1:11: database: the URL holds a password") && $0.contains("postgres.password_file") }, "\(problems)")
            #expect(!problems.contains { $0.contains("s3cret") }, "\(problems)")
        }
    }

    @Test func aURLWithoutAHostIsRefused() throws {
        let f = try ConfigFixture()
        for url in ["postgres:///lembra", "postgres://", "postgres://lembra@/lembra", "postgres://lembra@db1,,db2/lembra", "postgres://lembra@:5432/lembra"] {
            #expect(f.problems(Self.yaml("database: \(url)")).contains("1:11: database: expected a PostgreSQL URL like postgres://lembra@db.example:5432/lembra"), "\(url)")
        }
    }

    /// Failover: libpq takes a list of hosts, each with its port, and the writable one is asked for.
    @Test(arguments: ["postgres://lembra@db1.example:5432,db2.example:5433/lembra?target_session_attrs=read-write",
                      "postgres://lembra@[::1]:5432/lembra", "postgresql://db.example/lembra", "postgres://lem%40bra@db.example/lembra"])
    func aURLListingSeveralHostsOrAnIPv6OneIsTaken(url: String) throws {
        let f = try ConfigFixture()
        let c = try f.load(Self.yaml("database: \(url)"))
        #expect(c.postgres?.url == url)
    }

    @Test func aPasswordFileMissingWorldReadableEmptyOrUnreadableIsNamed() throws {
        let f = try ConfigFixture()
        let url = "database: postgres://lembra@db.example/lembra"
        let missing = f.dir.path("nowhere").path
        #expect(f.problems(Self.yaml(url, "postgres: { password_file: nowhere }")) == ["2:28: postgres.password_file: secret file not found: \(missing)"])

        let open = try f.dir.write("open", "pw\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: open.path)
        #expect(f.problems(Self.yaml(url, "postgres: { password_file: open }")) == ["2:28: postgres.password_file: \(open.path) is readable by every user; chmod o-r it"])

        let empty = try f.dir.write("empty", "\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: empty.path)
        #expect(f.problems(Self.yaml(url, "postgres: { password_file: empty }")) == ["2:28: postgres.password_file: the password file is empty"])

        let folder = f.dir.path("folder")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        #expect(f.problems(Self.yaml(url, "postgres: { password_file: folder }")) == ["2:28: postgres.password_file: cannot read \(folder.path)"])
    }

    @Test(arguments: [
        ("pool_size: 0", "2:24: postgres.pool_size: expected a whole number in 1...64, got '0'"),
        ("pool_size: 65", "2:24: postgres.pool_size: expected a whole number in 1...64, got '65'"),
        ("statement_timeout: 0s", "2:32: postgres.statement_timeout: must be more than zero, like 30s, 5m, 48h or 7d, got '0s'"),
        ("statement_timeout: 0.5s", "2:32: postgres.statement_timeout: must be at least 1s, got '0.5s'"),
        ("statement_timeout: 2h", "2:32: postgres.statement_timeout: must be at most 1h, got '2h'"),
        ("statement_timeout: 5m", "2:32: postgres.statement_timeout: must be shorter than lease (5m, the default)"),
        ("lease: 30s", "2:20: postgres.lease: must be at least 1m and longer than statement_timeout (30s), got '30s': "
            + "once a lease runs out, another daemon takes over the sends it covers"),
        ("lease: 2d", "2:20: postgres.lease: must be at most 1d, got '2d'"),
        ("statement_timeout: 2m, lease: 2m", "2:43: postgres.lease: must be at least 1m and longer than statement_timeout (2m), got '2m': "
            + "once a lease runs out, another daemon takes over the sends it covers"),
        ("pool: 3", "2:13: postgres.pool: unknown key; expected one of password_file, pool_size, statement_timeout, lease, daemon_id"),
        ("daemon_id: 'host a'", "2:24: postgres.daemon_id: expected 1 to 64 letters, digits, '.', '_' or '-', got 'host a'"),
        ("daemon_id: ''", "2:24: postgres.daemon_id: expected 1 to 64 letters, digits, '.', '_' or '-', got ''"),
    ])
    func boundsAreCheckedAtTheKey(setting: String, problem: String) throws {
        let f = try ConfigFixture()
        let problems = f.problems(Self.yaml("database: postgres://lembra@db.example/lembra", "postgres: { \(setting) }"))
        #expect(problems == [problem])
    }

    /// A `postgres:` block beside a SQLite `database:` is a leftover or a typo: the ledger stays
    /// the file, and the config says so.
    @Test func aPostgresBlockBesideASQLiteFileIsAWarning() throws {
        let f = try ConfigFixture()
        var warnings: [ConfigProblem] = []
        let c = try f.load(Self.yaml("database: ledger.sqlite", "postgres: { pool_size: 4 }"), warnings: &warnings)
        #expect(c.postgres == nil)
        #expect(warnings.map { "\($0.line):\($0.column): \($0.message)" }.contains { $0.hasPrefix("2:11: postgres: ignored: the ledger is the SQLite file") },
                "\(warnings)")
    }
}
