import Foundation
import Testing
import TestSupport

/// `run --once` stops like the daemon on SIGTERM/SIGINT: the batch in flight finishes and is
/// recorded, nothing new starts, exit 0. Every other command keeps the default action.
struct RunOnceStopTests {
    @Test(arguments: [SIGTERM, SIGINT]) func aStopDuringRunOnceRecordsTheBatchInFlightAndExitsZero(_ sig: Int32) throws {
        // One connection (batches of 8) and a slow relay: the stop lands while a batch is sending.
        let f = try Fixture(smtp: SMTPTestServer(stall: 0.5), smtpConnections: 1)
        let count = 20
        try f.importCustomersWithOneDebtEach(count)

        // Started with nothing blocked, as from a shell or a timer: the stop is lembra's to catch.
        let run = try f.start("run", "--once", unblockedSignals: true)
        #expect(RunningLembra.waitUntil(timeout: 60) { ((try? f.smtp.messages().count) ?? 0) >= 1 }, "\(run.stderr)")
        run.signal(sig)
        let stopped = run.wait()
        #expect(stopped.status == 0, "\(stopped)")
        #expect(stopped.stderr.contains("event=stopping"), "\(stopped)")
        #expect(stopped.stderr.contains("event=stopped"), "\(stopped)")

        let status = try f.lembra("status").stdout
        #expect(status.contains("sending 0"), "\(status)")
        #expect(status.contains("in_doubt 0"), "\(status)")
        let received = try f.received().count
        #expect(received >= 1 && received < count, "stopped after the batch in flight, before the rest: \(received)")
        #expect(CrashRecoveryTests.number(after: "sent ", in: status) == received, "\(status)")

        // The rest goes out on the next tick, none twice.
        let rest = try f.lembra("run", "--once")
        #expect(rest.status == 0, "\(rest)")
        let ids = try f.received().map { $0["message-id"] ?? "" }
        #expect(ids.count == count && Set(ids).count == count, "\(ids.count) messages\n\(rest)")
    }

    /// A command other than `run` still stops at once on Ctrl-C (here `pay`, waiting for a ledger
    /// another process holds).
    @Test func otherCommandsKeepTheDefaultActionOfSigint() throws {
        let f = try Fixture()
        try f.importCustomersWithOneDebtEach(1)
        let locker = try StorageFaultTests.holdExclusiveLock(f.dir.path("lembra.sqlite").path, in: f.dir)
        defer { locker.stop() }
        let pay = try f.start("pay", "d0")
        let pid = pay.process.processIdentifier
        #expect(RunningLembra.waitUntil { DaemonLifecycleTests.blocksTermination(pid, thread: pid) == false }, "pay unblocks the signals")
        pay.signal(SIGINT)
        let result = pay.wait()
        #expect(pay.process.terminationReason == .uncaughtSignal && result.status == SIGINT, "\(result)")
    }
}
