import Foundation
import Testing
import TestSupport

/// A `lembra run` that finds another one on its database leaves the ledger alone: it takes the
/// lock before opening (and so migrating) the ledger, so a newer binary never upgrades the schema
/// under a running older daemon.
struct LockBeforeMigrationTests {
    @Test func aRefusedRunDoesNotMigrateTheLedger() throws {
        let f = try Fixture()
        try f.importCustomersWithOneDebtEach(1)
        let database = f.dir.path("lembra.sqlite").path
        // The ledger as the release before v6 left it: the tables of v6 and later and their records undone.
        try Self.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.executescript("DROP TABLE controls_version; DROP TABLE backup_marker; "
                            "DELETE FROM grdb_migrations WHERE identifier NOT IN ('v1', 'v2', 'v3', 'v4', 'v5');")
            """, database)
        let before = try Self.migrations(database)
        #expect(before == ["v1", "v2", "v3", "v4", "v5"])

        // The older daemon: its flock on `<database>.lock`.
        let holder = try ServerProcess(RepositoryPaths.python, ["-c", """
            import fcntl, os, sys, time
            fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, b"4242\\n")
            print("READY 0", flush=True)
            time.sleep(120)
            """, database + ".lock"], logFile: f.dir.path("holder.log"))
        defer { holder.stop() }

        for args in [["run"], ["run", "--once"]] {
            let run = try LembraBinary.run(args + ["--config", f.configPath, "--now", Fixture.wednesday])
            #expect(run.status == 75, "\(run)")
            #expect(run.stderr.contains("another lembra (pid 4242) is running"), "\(run)")
            #expect(try Self.migrations(database) == before, "\(args) migrated the ledger under the running daemon")
        }
    }

    static func migrations(_ database: String) throws -> [String] {
        let out = try python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            print("\\n".join(r[0] for r in c.execute("SELECT identifier FROM grdb_migrations ORDER BY identifier")))
            """, database)
        return String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @discardableResult
    static func python(_ script: String, _ arguments: String...) throws -> Data {
        try ShellCommand.run(RepositoryPaths.python, ["-c", script] + arguments)
    }
}
