import Foundation
import Testing
import TestSupport

/// The ledger's storage failing under Lembra: locked by another process past the busy timeout, the
/// file deleted or corrupted, the disk full. Each ends in a clear error and a sysexits status,
/// with nothing half-done and never a reminder sent twice.
@Suite(.serialized) struct StorageFaultTests {
    static let customers = "id,name,email\nc1,Ana,ana@example.com\nc2,Bia,bia@example.com\n"
    static let debts = "id,customer_id,amount,due_date\nd1,c1,10.00,2026-11-17\nd2,c2,20.00,2026-11-17\n"

    func loaded(_ extraConfig: String = "", database: String? = nil) throws -> Fixture {
        let f = try Fixture(extraConfig: extraConfig)
        if let database { try Self.pointDatabase(f, to: database) }
        #expect(try f.lembra("import", "customers", f.csv("c.csv", Self.customers)).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", Self.debts)).status == 0)
        return f
    }

    static func pointDatabase(_ f: Fixture, to path: String) throws {
        let config = try String(contentsOfFile: f.configPath, encoding: .utf8)
        let rewritten = config.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("database:") ? "database: \(path)" : String($0) }.joined(separator: "\n")
        try rewritten.write(toFile: f.configPath, atomically: true, encoding: .utf8)
    }

    static func number(after label: String, in text: String) -> Int {
        guard let r = text.range(of: label) else { return -1 }
        return Int(text[r.upperBound...].prefix { $0.isNumber }) ?? -1
    }

    /// Another process holding `BEGIN EXCLUSIVE` on the database until stopped. ServerProcess
    /// waits for its `READY` line, printed once the lock is held.
    static func holdExclusiveLock(_ database: String, in dir: TemporaryDirectory) throws -> ServerProcess {
        let script = """
            import signal, sqlite3, sys, time
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("BEGIN EXCLUSIVE")
            print("READY 0", flush=True)
            time.sleep(120)
            """
        return try ServerProcess(RepositoryPaths.python, ["-c", script, database], logFile: dir.path("locker.log"))
    }

    @Test func aDatabaseLockedPastTheBusyTimeoutIsATemporaryFailureAndChangesNothing() throws {
        let f = try loaded()
        let database = f.dir.path("lembra.sqlite").path
        let locker = try Self.holdExclusiveLock(database, in: f.dir)

        let run = try f.lembra("run", "--once")
        #expect(run.status == 75, "\(run)")
        #expect(run.stderr.contains("locked by another process"), "\(run)")
        let pay = try f.lembra("pay", "d1")
        #expect(pay.status == 75, "\(pay)")
        #expect(pay.stderr.contains("locked by another process"), "\(pay)")
        let imported = try f.lembra("import", "customers", f.csv("c2.csv", "id,name,email\nc3,Caio,caio@example.com\n"))
        #expect(imported.status == 75, "a locked database is a temporary failure, not bad data\n\(imported)")
        locker.stop()

        #expect(try f.smtp.messages().isEmpty, "nothing was sent while the ledger could not record it")
        let status = try f.lembra("status")
        #expect(status.status == 0, "\(status)")
        #expect(Self.number(after: "claimed ", in: status.stdout) == 0 && Self.number(after: "sending ", in: status.stdout) == 0
                && Self.number(after: "sent ", in: status.stdout) == 0, "nothing half-done\n\(status)")
        #expect(!(try f.lembra("history", "d1").stdout.contains("payment")), "the payment was not recorded")
        #expect(try f.lembra("history", "c3").status == 65, "the import was not applied")

        // Once the lock is gone, everything goes out exactly once.
        #expect(try f.lembra("run", "--once").status == 0)
        #expect(try f.smtp.messages().count == 2)
    }

    /// Overwrites the SQLite header ("SQLite format 3\0") with garbage.
    static func corruptHeader(_ path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 100))
        try handle.close()
    }

    @Test func aCorruptedDatabaseBeforeARunIsUnavailable() throws {
        let f = try loaded()
        try Self.corruptHeader(f.dir.path("lembra.sqlite").path)
        let run = try f.lembra("run", "--once")
        #expect(run.status == 69, "\(run)")
        #expect(run.stderr.contains("lembra.sqlite"), "the error names the file\n\(run)")
        #expect(try f.smtp.messages().isEmpty)
    }

    @Test func aDatabaseDeletedAfterARunIsNotSilentlyReplacedByAnEmptyOne() throws {
        let f = try loaded()
        #expect(try f.lembra("run", "--once").status == 0)
        #expect(try f.smtp.messages().count == 2)
        let database = f.dir.path("lembra.sqlite").path
        try FileManager.default.removeItem(atPath: database)
        let run = try f.lembra("run", "--once")
        #expect(run.status == 69, "\(run)")
        #expect(run.stderr.contains("missing"), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: database), "no empty ledger was created in its place")
        // An operator re-importing into a fresh ledger would re-send everything: refused until restored.
        let reimport = try f.lembra("import", "customers", f.csv("c.csv", Self.customers))
        #expect(reimport.status == 69, "\(reimport)")
        #expect(try f.smtp.messages().count == 2, "never a second reminder")
    }

    @Test func aDatabaseDeletedUnderARunningDaemonStopsIt() throws {
        let f = try loaded()
        let daemon = try f.start("run")
        #expect(RunningLembra.waitUntil(timeout: 30) { ((try? f.smtp.messages().count) ?? 0) == 2 }, "\(daemon.stderr)")
        #expect(RunningLembra.waitUntil(timeout: 30) { daemon.stderr.contains("event=tick ") })
        let database = f.dir.path("lembra.sqlite").path
        try FileManager.default.removeItem(atPath: database)
        #expect(RunningLembra.waitUntil(timeout: 30) { !daemon.process.isRunning }, "the daemon must stop\n\(daemon.stderr)")
        let result = daemon.wait()
        #expect(result.status == 69, "\(result)")
        #expect(result.stderr.contains("event=tick_failed") || result.stderr.contains("level=error"), "\(result)")
        #expect(try f.smtp.messages().count == 2, "never a second reminder")
    }

    /// SQLite in WAL mode keeps page 1 cached and does not reread the header while it works, and
    /// the daemon must not open the file itself to look (closing any descriptor of the file drops
    /// SQLite's POSIX locks). After a crash the WAL still holds the latest page 1, so a restart
    /// either reads it from there (and the checkpoint rewrites the header) or refuses the file
    /// (69). Either way the ledger still knows what was sent: never a second reminder.
    @Test func aDatabaseCorruptedUnderARunningDaemonIsRefusedOnRestart() throws {
        let f = try loaded()
        let daemon = try f.start("run")
        #expect(RunningLembra.waitUntil(timeout: 30) { ((try? f.smtp.messages().count) ?? 0) == 2 }, "\(daemon.stderr)")
        #expect(RunningLembra.waitUntil(timeout: 30) { daemon.stderr.contains("event=tick ") })
        daemon.signal(SIGKILL)
        _ = daemon.wait()
        try Self.corruptHeader(f.dir.path("lembra.sqlite").path)
        let restart = try f.lembra("run", "--once")
        #expect(restart.status == 0 || restart.status == 69, "\(restart)")
        if restart.status == 0 {
            #expect(Self.number(after: "sent ", in: try f.lembra("status").stdout) == 2, "the WAL kept the whole ledger")
        }
        #expect(try f.smtp.messages().count == 2, "never a second reminder")
    }

    /// A 1 MiB tmpfs (needs root and a kernel that allows the mount; skipped otherwise).
    static func smallFilesystem() throws -> (TemporaryDirectory, String)? {
        guard getuid() == 0 else { return nil }
        let dir = try TemporaryDirectory("lembra-tmpfs")
        do { try ShellCommand.run(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.url.path]) } catch {
            print("StorageFaultTests: \(error)")
            return nil
        }
        return (dir, dir.url.path)
    }

    @Test func aFullDiskIsAClearErrorAndLosesNothingCommitted() throws {
        guard let (mounted, mountPoint) = try Self.smallFilesystem() else {
            print("StorageFaultTests: cannot mount a small tmpfs here (not root or not allowed); disk-full test not run")
            return
        }
        defer { _ = try? ShellCommand.run(URL(fileURLWithPath: "/bin/umount"), ["-l", mountPoint]); withExtendedLifetime(mounted) {} }
        let f = try loaded(database: "\(mountPoint)/lembra.sqlite")
        // Fill the rest of the filesystem.
        let filler = "\(mountPoint)/filler"
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
        let chunk = Data(repeating: 0, count: 4096)
        while (try? handle.write(contentsOf: chunk)) != nil {}
        try? handle.close()

        var rows = "id,name,email\n"
        for i in 0..<5_000 { rows += "x\(i),Cliente com um nome bem comprido \(i),cliente\(i)@example.com\n" }
        let big = try f.lembra("import", "customers", f.csv("big.csv", rows))
        #expect([69, 73, 75].contains(big.status), "a full disk is not bad data\n\(big)")
        #expect(big.stderr.lowercased().contains("full"), "the error says the disk is full\n\(big)")

        try FileManager.default.removeItem(atPath: filler)
        let status = try f.lembra("status")
        #expect(status.status == 0, "\(status)")
        #expect(Self.number(after: "forgetful ", in: status.stdout) == 2 || status.stdout.contains("unplanned"), "\(status)")
        #expect(try f.lembra("history", "x1").status == 65, "the failed import left nothing behind")
        #expect(try f.lembra("run", "--once").status == 0)
        #expect(try f.smtp.messages().count == 2)
    }
}
