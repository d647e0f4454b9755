import Foundation
import Testing
import TestSupport

/// systemd's watchdog (`WatchdogSec=`, seen by the daemon as `$WATCHDOG_USEC`): `WATCHDOG=1`
/// keeps coming while a tick makes progress, however long it takes, and stops when it is stuck.
@Suite(.serialized) struct WatchdogTests {
    /// The gaps between `start`, the `WATCHDOG=1` pings received up to `end`, and `end`.
    static func gaps(_ notify: NotifySocket, from start: Double, to end: Double) -> [Double] {
        let pings = notify.timedMessages.filter { $0.message == "WATCHDOG=1" && $0.at > start && $0.at <= end }.map(\.at)
        let points = [start] + pings + [end]
        return zip(points, points.dropFirst()).map { $1 - $0 }
    }

    static func arrival(_ notify: NotifySocket, _ match: (String) -> Bool) -> Double? {
        notify.timedMessages.first { match($0.message) }?.at
    }

    /// 16 reminders at 2 a second over one connection: a tick of about 8 s, more than twice the
    /// 3 s watchdog interval, during which a ping must still arrive at least every 3 s (each
    /// message is progress; one may take up to 3 s on a loaded machine before the pings stop).
    @Test func aTickSlowedByTheRateKeepsPinging() throws {
        let f = try Fixture(smtpConnections: 1, smtpRate: 2)
        try f.importCustomersWithOneDebtEach(16)
        let notify = try NotifySocket(in: f.dir)
        let daemon = try f.start("run", environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "3000000"])
        #expect(notify.waitFor { $0 == "READY=1" } != nil)
        let status = notify.waitFor(timeout: 60, NotifySocket.isTickStatus)
        #expect(status?.contains("sent=16") == true, "\(notify.messages)\n\(daemon.stderr)")
        let ready = try #require(Self.arrival(notify) { $0 == "READY=1" })
        let done = try #require(Self.arrival(notify, NotifySocket.isTickStatus))
        #expect(done - ready > 6, "the tick must outlast the watchdog interval twice over, or this proves nothing")
        let gaps = Self.gaps(notify, from: ready, to: done)
        #expect(gaps.max() ?? 0 <= 3, "systemd would have killed a healthy tick: gaps \(gaps)")
        daemon.signal(SIGTERM)
        #expect(daemon.wait().status == 0)
        #expect(try f.received().count == 16)
    }

    /// A message whose server never answers (and a transfer timeout longer than the test): no
    /// progress, so the pings stop within about one interval and systemd would restart the service.
    @Test func aStuckTickStopsPinging() throws {
        let f = try Fixture(smtp: SMTPTestServer(stall: 60), smtpTimeout: "90s", smtpConnections: 1)
        try f.importCustomersWithOneDebtEach(1)
        let notify = try NotifySocket(in: f.dir)
        let daemon = try f.start("run", environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000"])
        #expect(notify.waitFor { $0 == "READY=1" } != nil)
        let ready = try #require(Self.arrival(notify) { $0 == "READY=1" })
        // Watch for 5 s: the tick can't end (the server holds the message for 60 s).
        #expect(notify.waitFor(timeout: 5, NotifySocket.isTickStatus) == nil, "\(notify.messages)")
        let pings = notify.timedMessages.filter { $0.message == "WATCHDOG=1" }.map(\.at)
        #expect(!pings.isEmpty, "it pinged once started")
        let last = pings.last ?? ready
        #expect(last - ready < 2.5, "pings went on while nothing moved: \(pings.map { $0 - ready })")
        #expect(try f.smtp.messages().isEmpty)
        daemon.signal(SIGKILL)
        _ = daemon.wait()
    }
}
