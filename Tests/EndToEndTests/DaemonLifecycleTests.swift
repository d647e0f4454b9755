import Foundation
import Testing
import TestSupport

/// The daemon as systemd runs it: readiness and status over `$NOTIFY_SOCKET`, watchdog pings,
/// SIGHUP reloads, SIGTERM stops, one daemon per database, the inbox.
@Suite(.serialized) struct DaemonLifecycleTests {
    static let customers = "id,name,email\nc1,Ana Souza,ana@example.com\n"
    static let debts = "id,customer_id,amount,due_date\nd1,c1,50.00,2026-11-17\n"

    @Test func notifiesReadyStatusWatchdogAndStopsOnSigterm() throws {
        let f = try Fixture()
        #expect(try f.lembra("import", "customers", f.csv("c.csv", Self.customers)).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", Self.debts)).status == 0)
        let notify = try NotifySocket(in: f.dir)
        // Started with nothing blocked, as systemd starts it, so the masks checked below are lembra's.
        let daemon = try f.start("run", environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "400000"], unblockedSignals: true)
        #expect(notify.waitFor { $0 == "READY=1" } != nil)
        // Before it: more start-up time while the ledger opens (a migration, the integrity check).
        #expect(notify.messages.first?.contains("EXTEND_TIMEOUT_USEC=600000000") == true, "\(notify.messages)")
        let status = notify.waitFor(NotifySocket.isTickStatus)
        #expect(status?.contains("sent=1") == true, "\(notify.messages)")
        #expect(notify.waitFor { $0 == "WATCHDOG=1" } != nil)
        #expect(Self.everyThreadBlocksTermination(daemon.process.processIdentifier),
                "a thread that doesn't block SIGTERM/SIGHUP/SIGINT can swallow one before Dispatch's signalfd reads it")
        daemon.signal(SIGTERM)
        let result = daemon.wait()
        #expect(result.status == 0, "\(result)")
        #expect(notify.waitFor { $0 == "STOPPING=1" } != nil)
        #expect(try f.received().count == 1)
    }

    /// Whether every thread of `pid` blocks SIGHUP, SIGINT and SIGTERM (from /proc), so they stay
    /// pending until Dispatch's signalfd reads them; false if the process is gone. A thread that
    /// ends while being looked at is skipped.
    static func everyThreadBlocksTermination(_ pid: Int32) -> Bool {
        guard let threads = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task"), !threads.isEmpty else { return false }
        return threads.allSatisfy { blocksTermination(pid, thread: Int32($0) ?? 0) != false }
    }

    /// Whether thread `tid` of `pid` blocks SIGHUP, SIGINT and SIGTERM; nil when it can't be read
    /// (gone, or a zombie).
    static func blocksTermination(_ pid: Int32, thread tid: Int32) -> Bool? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/status", encoding: .utf8),
              !status.contains("State:\tZ"),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
              let mask = UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
        return [SIGHUP, SIGINT, SIGTERM].allSatisfy { mask & (1 << UInt64($0 - 1)) != 0 }
    }

    /// A stop sent while the daemon is still starting (here: waiting for a ledger another process
    /// holds) is kept pending and honoured once it runs, not discarded.
    @Test func aSigtermSentDuringStartUpStopsTheDaemon() throws {
        let f = try Fixture()
        #expect(try f.lembra("import", "customers", f.csv("c.csv", Self.customers)).status == 0)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE')
            print('locked', flush=True); sys.stdin.read()
            """, f.dir.path("lembra.sqlite").path]
        let release = Pipe(), locked = Pipe()
        holder.standardInput = release
        holder.standardOutput = locked
        try holder.run()
        defer { if holder.isRunning { holder.terminate() } }
        #expect(String(decoding: locked.fileHandleForReading.readData(ofLength: 6), as: UTF8.self) == "locked")

        // Started with nothing blocked, as systemd starts it: the mask seen below is lembra's own.
        let daemon = try f.start("run", unblockedSignals: true)
        let pid = daemon.process.processIdentifier
        let isLembra = { (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("lembra") == true }
        #expect(RunningLembra.waitUntil { isLembra() && Self.blocksTermination(pid, thread: pid) == true }, "the daemon blocks the signals first thing")
        daemon.signal(SIGTERM)
        try release.fileHandleForWriting.close() // the ledger is free: start-up goes on
        let stopped = RunningLembra.waitUntil { !daemon.process.isRunning }
        #expect(stopped, "SIGTERM during start-up was lost: \(daemon.stderr)")
        if !stopped { daemon.signal(SIGKILL) }
        let result = daemon.wait()
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("event=stopping"), "\(result)")
    }

    @Test func secondDaemonOnTheSameDatabaseIsRefused() throws {
        let f = try Fixture()
        let notify = try NotifySocket(in: f.dir)
        let first = try f.start("run", environment: ["NOTIFY_SOCKET": notify.path])
        #expect(notify.waitFor { $0 == "READY=1" } != nil)
        let second = try f.lembra("run", "--once")
        #expect(second.status == 75, "\(second)")
        #expect(second.stderr.contains("another lembra (pid \(first.process.processIdentifier)) is running"), "\(second)")
        first.signal(SIGTERM)
        #expect(first.wait().status == 0)
    }

    @Test func sighupKeepsTheOldConfigWhenTheNewOneIsBroken() throws {
        let f = try Fixture()
        let notify = try NotifySocket(in: f.dir)
        let daemon = try f.start("run", environment: ["NOTIFY_SOCKET": notify.path])
        #expect(notify.waitFor { $0 == "READY=1" } != nil)
        let good = try String(contentsOfFile: f.configPath, encoding: .utf8)

        try (good + "\nbogus_key: 1\n").write(toFile: f.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(RunningLembra.waitUntil { daemon.stderr.contains("event=reload_rejected") }, "\(daemon.stderr)")
        #expect(daemon.stderr.contains("bogus_key: unknown key"))
        #expect(daemon.process.isRunning)
        let reloading = notify.waitFor { $0.hasPrefix("RELOADING=1") }
        #expect(reloading?.contains("MONOTONIC_USEC=") == true, "\(notify.messages)")

        try good.write(toFile: f.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(RunningLembra.waitUntil { daemon.stderr.contains("event=config_applied") }, "\(daemon.stderr)")
        #expect(daemon.process.isRunning)
        daemon.signal(SIGTERM)
        #expect(daemon.wait().status == 0)
    }

    /// A reload with a config that would crash the daemon or every tick (a template nested 800
    /// deep crashed the parser, and the daemon with it; `tick:` and `expires_in` overflowed) is
    /// refused: the daemon keeps running, and sending, with the old config.
    @Test func sighupRefusesAConfigThatWouldCrashAndKeepsTheOldOne() throws {
        let f = try Fixture()
        let friendly = try HostileInputTests.ownTemplates(f).appendingPathComponent("pt-BR/friendly.mustache")
        let good = try String(contentsOfFile: f.configPath, encoding: .utf8)
        let daemon = try f.start("run")
        defer { if daemon.process.isRunning { daemon.signal(SIGKILL) } }
        #expect(RunningLembra.waitUntil { daemon.stderr.contains("event=tick ") }, "\(daemon.stderr)")
        let rejections = { daemon.stderr.components(separatedBy: "event=reload_rejected").count - 1 }

        let shipped = try String(contentsOf: friendly, encoding: .utf8)
        let nested = String(repeating: "{{#customer.name}}", count: 800) + "x" + String(repeating: "{{/customer.name}}", count: 800)
        try "Subject: Oi\n\n\(nested)\n".write(to: friendly, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(RunningLembra.waitUntil { rejections() == 1 }, "\(daemon.stderr.suffix(3000))")
        #expect(daemon.stderr.contains("sections nested more than 16 deep"))
        try shipped.write(to: friendly, atomically: true, encoding: .utf8)

        for (old, new) in [("tick: 1s", "tick: 99999999999999999999d"),
                           (Fixture.urlLink, Fixture.urlLink.replacingOccurrences(of: " }", with: ", expires_in: 99999999999999999999d }"))] {
            let before = rejections()
            try good.replacingOccurrences(of: old, with: new).write(toFile: f.configPath, atomically: true, encoding: .utf8)
            daemon.signal(SIGHUP)
            #expect(RunningLembra.waitUntil { rejections() == before + 1 }, "\(new): \(daemon.stderr.suffix(3000))")
        }
        #expect(daemon.stderr.contains("tick: must be at most 1d") && daemon.stderr.contains("expires_in: must be at most 365d"))
        #expect(daemon.process.isRunning && !daemon.stderr.contains("event=config_applied"))

        // The old config still works: a reminder goes out with the shipped template. (The file
        // gets the good config back for `lembra import`; the daemon is not told.)
        try good.write(toFile: f.configPath, atomically: true, encoding: .utf8)
        try f.importCustomersWithOneDebtEach(1)
        #expect(RunningLembra.waitUntil { (try? f.smtp.messages().count) == 1 }, "\(daemon.stderr.suffix(3000))")
        #expect(try f.received().first?["subject"] == "Um lembrete amigável sobre seu pagamento — Oficina Teste Ltda")
        daemon.signal(SIGTERM)
        #expect(daemon.wait().status == 0)
    }

    /// A reload that shortens `tick:` sets when the next tick runs: not after the old interval.
    @Test func sighupWithAShorterTickReschedulesTheNextTick() throws {
        let f = try Fixture()
        let good = try String(contentsOfFile: f.configPath, encoding: .utf8)
        try good.replacingOccurrences(of: "tick: 1s", with: "tick: 1h").write(toFile: f.configPath, atomically: true, encoding: .utf8)
        let daemon = try f.start("run")
        defer { if daemon.process.isRunning { daemon.signal(SIGKILL) } }
        let ticks = { daemon.stderr.components(separatedBy: "event=tick ").count - 1 }
        #expect(RunningLembra.waitUntil(timeout: 60) { ticks() == 1 }, "\(daemon.stderr)")

        try good.replacingOccurrences(of: "tick: 1s", with: "tick: 2s").write(toFile: f.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(RunningLembra.waitUntil(timeout: 60) { ticks() >= 2 }, "the next tick waited for the old 1h\n\(daemon.stderr)")
        #expect(daemon.stderr.contains("event=config_applied"), "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(daemon.wait().status == 0)
    }

    @Test func inboxImportsEachFileOnceAndRejectsBadOnes() throws {
        let f = try Fixture()
        let inbox = f.dir.path("inbox")
        try f.dir.write("inbox/customers-1.csv", Self.customers)
        try f.dir.write("inbox/debts-1.csv", Self.debts)
        try f.dir.write("inbox/payments-1.csv", "debt_id,amount,paid_at\nd1,abc,2026-11-17\n")
        let run = try f.lembra("run", "--once")
        #expect(run.status == 0, "\(run)")
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: inbox.appendingPathComponent("done/customers-1.csv").path))
        #expect(fm.fileExists(atPath: inbox.appendingPathComponent("done/debts-1.csv").path))
        let error = try String(contentsOf: inbox.appendingPathComponent("rejected/payments-1.csv.error"), encoding: .utf8)
        #expect(error.contains("payments-1.csv:2: amount: not an amount"), "\(error)")
        #expect(try f.received().count == 1)

        // The same debts content again (say, a re-sent export) is a no-op.
        try f.dir.write("inbox/debts-2.csv", Self.debts)
        let again = try f.lembra("run", "--once")
        #expect(again.stderr.contains("event=imported file=debts-2.csv kind=debts inserted=0 updated=0 duplicate=true"), "\(again)")
    }
}
