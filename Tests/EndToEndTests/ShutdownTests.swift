import Foundation
import Testing
import TestSupport

/// SIGTERM in the middle of sending: the daemon records what is in flight, leaves the rest
/// claimed, and exits 0; a restart sends the rest. CLI writes are safe meanwhile.
struct ShutdownTests {
    static let count = 40

    @Test func sigtermDuringSendingRecordsEveryAttemptAndExitsZero() throws {
        // A slow server and one connection (batches of 8), so the stop lands mid-tick: 0.15 s a
        // message makes a tick of 6 s, time enough for the two commands below on a loaded machine.
        let f = try Fixture(smtp: SMTPTestServer(stall: 0.15), smtpConnections: 1)
        try f.importCustomersWithOneDebtEach(Self.count)

        let daemon = try f.start("run")
        #expect(RunningLembra.waitUntil { ((try? f.smtp.messages().count) ?? 0) >= 5 })
        // Writers are welcome while the daemon sends.
        let pay = try f.lembra("pay", "d39")
        #expect(pay.status == 0, "\(pay)")
        let more = try f.lembra("import", "customers", f.csv("more.csv", "id,name,email\nz1,Zé,ze@example.com\n"))
        #expect(more.status == 0, "\(more)")

        daemon.signal(SIGTERM)
        let stopped = daemon.wait()
        #expect(stopped.status == 0, "\(stopped)")
        #expect(stopped.stderr.contains("event=stopping in_tick=true"), "\(stopped)")
        #expect(stopped.stderr.contains("event=stopped"))
        let status = try f.lembra("status").stdout
        #expect(status.contains("sending 0"), "\(status)")
        #expect(status.contains("in_doubt 0"), "\(status)")
        let receivedAtStop = try f.received().count
        #expect(receivedAtStop < Self.count, "the daemon stopped before sending everything")
        #expect(CrashRecoveryTests.number(after: "sent ", in: status) == receivedAtStop, "\(status)")

        let final = try f.lembra("run", "--once")
        #expect(final.status == 0)
        // No attempt went out twice (the Message-ID is the attempt's). The customer who paid gets a
        // thank-you, and the reminder too if its batch was already marked sending when d39 was paid.
        let received = try f.received()
        let ids = received.map { $0["message-id"] ?? "" }
        #expect(Set(ids).count == ids.count, "no duplicates\n\(stopped.stderr)\n\(final.stderr)")
        #expect(Set(received.map { $0["to"] ?? "" }).count >= Self.count - 1, "everyone but, perhaps, the customer who paid")
    }

    /// A stop that outlasts `shutdown_timeout` abandons a send in flight: an error and exit 75,
    /// not a clean 0.
    @Test func aShutdownTimeoutWithASendInFlightExits75() throws {
        let f = try Fixture(smtp: SMTPTestServer(stall: 120, stallNth: 1), smtpTimeout: "300s", smtpConnections: 1, extraConfig: "shutdown_timeout: 1s")
        try f.importCustomersWithOneDebtEach(3)

        let daemon = try f.start("run")
        // Wait for the server to hold the first message's final dot: "sending 3" in the status is
        // not enough, since the batch is marked before its first transfer starts, and a stop that
        // lands in between rightly defers the batch and exits 0.
        #expect(RunningLembra.waitUntil(timeout: 60) { f.smtp.log.contains("stalling message 1") }, "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        let stopped = daemon.wait()
        #expect(stopped.status == 75, "\(stopped)")
        #expect(stopped.stderr.contains("level=error event=shutdown_timeout"), "\(stopped)")
        #expect(!stopped.stderr.contains("event=stopped"), "\(stopped)")
    }
}
