import Foundation
import Testing
import TestSupport

/// The ledger file and Lembra's folders, on the built binary: a ledger deleted or replaced under a
/// running daemon, a damaged one, a second daemon through a symbolic link, and files that must
/// stay private whatever the umask.
@Suite(.serialized) struct LedgerFileSafetyTests {
    /// The ledger vanishes (deleted, or replaced by another file renamed over it) while a tick is
    /// sending, slowly (`rate: 2`, one connection: batches of 8, 4 seconds each). The daemon must
    /// stop at its next commit, exit 69 and send nothing more: before, it sent all 40 into the
    /// deleted file, and only the next tick noticed.
    @Test(arguments: ["deleted", "replaced"])
    func aLedgerGoneMidTickStopsTheDaemonAtTheNextBatch(_ how: String) throws {
        let f = try Fixture(smtpConnections: 1, smtpRate: 2)
        try f.importCustomersWithOneDebtEach(40)
        let database = f.dir.path("lembra.sqlite").path
        let other = f.dir.path("other.sqlite").path
        if how == "replaced" { #expect(try f.lembra("backup", other).status == 0) }
        let daemon = try f.start("run")
        #expect(RunningLembra.waitUntil(timeout: 30) { ((try? f.smtp.messages().count) ?? 0) >= 1 }, "\(daemon.stderr)")
        if how == "deleted" { try FileManager.default.removeItem(atPath: database) } else { #expect(rename(other, database) == 0) }
        #expect(RunningLembra.waitUntil(timeout: 30) { !daemon.process.isRunning }, "the daemon must stop\n\(daemon.stderr)")
        let result = daemon.wait()
        #expect(result.status == 69, "\(result)")
        #expect(result.stderr.contains("deleted or replaced while in use"), "\(result)")
        #expect(result.stderr.contains("reason=\"ledger replaced\""), "\(result)")
        let sent = try f.smtp.messages().count
        #expect(sent <= 8, "\(sent) messages went out after the ledger was gone; at most the batch in flight may")
    }

    /// Two configs naming one ledger, one of them through a symbolic link to the file: the second
    /// daemon must find the first one's lock (exit 75), not run beside it.
    @Test func aSecondDaemonThroughASymbolicLinkIsRefused() throws {
        let f = try Fixture()
        try f.importCustomersWithOneDebtEach(1)
        let alias = f.dir.path("alias.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: alias, withDestinationPath: f.dir.path("lembra.sqlite").path)
        let config = try String(contentsOfFile: f.configPath, encoding: .utf8)
            .replacingOccurrences(of: "database: \(f.dir.path("lembra.sqlite").path)", with: "database: \(alias)")
        let second = try f.dir.write("second.yaml", config).path

        let daemon = try f.start("run")
        #expect(RunningLembra.waitUntil(timeout: 30) { daemon.stderr.contains("event=tick ") }, "\(daemon.stderr)")
        let other = try LembraBinary.run(["run", "--once", "--config", second, "--now", Fixture.wednesday])
        #expect(other.status == 75, "\(other)")
        #expect(other.stderr.contains("another lembra (pid \(daemon.process.processIdentifier)) is running"), "\(other)")
        daemon.signal(SIGTERM)
        #expect(daemon.wait().status == 0)
        #expect(try f.smtp.messages().count == 1)
    }

    /// The index of claimed steps by their attempt loses its entries, which `quick_check` does not
    /// see and `check-ledger` finds (exit 69, and `--recount` writes nothing). When the customers
    /// are looked at again (here a `resume`, past a short `min_gap`), nothing goes out a second
    /// time: the planner and the claim read the claimed steps from their table, whose key is the
    /// step (when a unique index stood for that key, its damage once sent each step twice).
    @Test func aDamagedClaimIndexSendsNothingTwiceAndCheckLedgerFindsIt() throws {
        let f = try Fixture(extraConfig: "limits: { min_gap: 1h }")
        try f.importCustomersWithOneDebtEach(3)
        #expect(try f.lembra("run", "--once").status == 0)
        #expect(try f.smtp.messages().count == 3)
        #expect(try f.lembra("check-ledger").status == 0)
        try LedgerDamage.emptyItemsByAttempt(f.dir.path("lembra.sqlite").path)
        for c in ["c0", "c1", "c2"] { #expect(try f.lembra("resume", c, now: "2026-11-18T15:00:00-03:00").status == 0) }

        let again = try f.lembra("run", "--once", now: "2026-11-18T15:00:00-03:00")
        #expect(again.status == 0, "quick_check can't see this damage\n\(again)")
        #expect(try f.smtp.messages().count == 3, "a step was sent twice through the damaged index")
        let check = try f.lembra("check-ledger")
        #expect(check.status == 69, "\(check)")
        #expect(check.stderr.contains("the ledger is damaged") && check.stderr.contains("attempt_items_attempt"), "\(check)")
        #expect(check.stderr.contains("lembra restore"), "\(check)")
        let recount = try f.lembra("check-ledger", "--recount")
        #expect(recount.status == 69 && !recount.stdout.contains("counted again"), "a damaged ledger is not written to\n\(recount)")
    }

    /// The sent count `status` shows drifts from the attempts (a write that lost its count):
    /// `check-ledger` names it as a count, not as damage (exit 65, not 69), and `--recount` mends
    /// it; `status` then shows the attempts' own count again.
    @Test func aSkewedAttemptCountIsFoundAndCountedAgain() throws {
        let f = try Fixture()
        try f.importCustomersWithOneDebtEach(3)
        #expect(try f.lembra("run", "--once").status == 0)
        #expect(try f.lembra("status").stdout.contains("sent 3,"))
        try LedgerDamage.skewAttemptCount(f.dir.path("lembra.sqlite").path, state: "sent", by: 2)
        #expect(try f.lembra("status").stdout.contains("sent 5,"))

        let check = try f.lembra("check-ledger")
        #expect(check.status == 65, "\(check)")
        #expect(check.stderr.contains("attempt_counts says 5 sent attempts, the ledger holds 3") && check.stderr.contains("--recount")
                && !check.stderr.contains("damaged"), "\(check)")
        let recount = try f.lembra("check-ledger", "--recount")
        #expect(recount.status == 0 && recount.stdout.contains("changed: sent"), "\(recount)")
        #expect(try f.lembra("status").stdout.contains("sent 3,"))
        let again = try f.lembra("check-ledger", "--recount")
        #expect(again.status == 0 && again.stdout.contains(": ok") && !again.stdout.contains("counted again"), "\(again)")
    }

    /// A page of the file no longer reads as a b-tree page, in an index this tick never touches:
    /// `run` checks the file (`quick_check`) before it claims anything, and refuses it.
    @Test func runRefusesALedgerThatFailsQuickCheck() throws {
        let f = try Fixture()
        try f.importCustomersWithOneDebtEach(2)
        try LedgerDamage.breakPage(of: "events_debt", in: f.dir.path("lembra.sqlite").path)
        for args in [["run", "--once"], ["run"]] {
            let run = try #require(try f.lembra(within: 30, args), "\(args) ran on")
            #expect(run.status == 69, "\(run)")
            #expect(run.stderr.contains("quick_check") && run.stderr.contains("lembra check-ledger"), "\(run)")
        }
        #expect(try f.smtp.messages().isEmpty)
        #expect(try f.lembra("check-ledger").status == 69)
    }

    /// Every file that holds personal data, made under `umask 000`: the ledger, its `-wal` and
    /// `-shm` (seen while the daemon runs), the lock, a backup, an outbox message and an inbox
    /// error report are all 0600.
    @Test func filesWithPersonalDataAreOwnerOnlyWhateverTheUmask() throws {
        let outbox = try TemporaryDirectory("lembra-outbox")
        let f = try Fixture(ladders: Fixture.ladders.replacingOccurrences(of: "channel: email", with: "channel: demo"),
                            extraChannels: "  demo: { type: outbox, path: \(outbox.url.path), from: \"Oficina <c@oficina.test>\" }")
        let lembra = { (args: [String]) in try LembraBinary.run(args + ["--config", f.configPath, "--now", Fixture.wednesday], umask: "000") }
        #expect(try lembra(["import", "customers", f.csv("c.csv", "id,name,email\nc1,Ana,ana@example.com\n")]).status == 0)
        #expect(try lembra(["import", "debts", f.csv("d.csv", "id,customer_id,amount,due_date\nd1,c1,10.00,2026-11-17\n")]).status == 0)
        let inbox = f.dir.path("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try "id,name,email\nc2,Bia Souza,not-an-address\n".write(to: inbox.appendingPathComponent("customers-bad.csv"), atomically: true, encoding: .utf8)

        let daemon = try LembraBinary.start(["run", "--config", f.configPath, "--now", Fixture.wednesday], umask: "000")
        let message = { (try? FileManager.default.contentsOfDirectory(atPath: outbox.path("new").path))?.first }
        #expect(RunningLembra.waitUntil(timeout: 30) { message() != nil && daemon.stderr.contains("event=tick ") }, "\(daemon.stderr)")
        let database = f.dir.path("lembra.sqlite").path
        var files = [database, database + "-wal", database + "-shm", database + ".lock",
                     inbox.appendingPathComponent("rejected/customers-bad.csv.error").path]
        if let name = message() { files.append(outbox.path("new/\(name)").path) }
        #expect(try lembra(["backup", f.dir.path("backup.sqlite").path]).status == 0)
        files.append(f.dir.path("backup.sqlite").path)
        for file in files {
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file): \(String(mode ?? 0, radix: 8))")
        }
        daemon.signal(SIGTERM)
        #expect(daemon.wait().status == 0)
    }
}
