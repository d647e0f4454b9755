import Foundation
@testable import LembraDaemon
import LembraStore
import Testing
import TestSupport

/// The daemon's run in-process, on a real ledger: it ends by returning how it ended, never by
/// ending the process, so `lembra run` alone decides the exit status.
@Suite struct DaemonRunTests {
    /// The ledger deleted under the daemon before its first tick commits: the tick fails, and the
    /// run returns EX_UNAVAILABLE with the reason, logged as `stopped` (before, `exit(69)` in the
    /// library ended the process, test runner included).
    @Test func aLedgerGoneReturnsUnavailableAndLogsStopped() async throws {
        let f = try ConfigFixture()
        let (config, ledger) = try TickTests.setUp(f, count: 3)
        try FileManager.default.removeItem(atPath: config.database)
        let lines = LogfmtTests.Lines()
        let log = Logfmt(journal: false) { line in lines.value.withLock { $0.append(line) } }
        let daemon = Daemon(config: config, configPath: f.dir.path("lembra.yaml").path, ledger: ledger, log: log,
                            clock: Clock(pinnedAt: TickTests.now, advancing: true))

        let outcome = await daemon.run()

        #expect(outcome == DaemonOutcome(.unavailable, reason: "ledger replaced"))
        let logged = lines.value.withLock { $0 }.joined()
        #expect(logged.contains("level=notice event=started"), "\(logged)")
        #expect(logged.contains("level=error event=tick_failed"), "\(logged)")
        #expect(logged.hasSuffix("level=error event=stopped reason=\"ledger replaced\" exit=69\n"), "the last line: \(logged)")
        #expect(TickTests.sentFiles(f).isEmpty, "nothing is sent into a ledger that is gone")
    }
}
