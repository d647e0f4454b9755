@testable import LembraDaemon
import Testing

/// The watchdog's decision with a fake clock (seconds, as nanoseconds): ping between ticks and
/// while a tick moves on, however long it runs; stop once it has not moved for a whole interval.
struct WatchdogMonitorTests {
    static let second: UInt64 = 1_000_000_000

    /// `shouldPing` outside `#expect`, which can't take a mutating call.
    static func ping(_ m: inout WatchdogMonitor, at now: UInt64, progress: UInt64) -> Bool {
        m.shouldPing(at: now, progress: progress)
    }

    @Test func pingsBetweenTicks() {
        var m = WatchdogMonitor(interval: 10 * Self.second)
        #expect(Self.ping(&m, at: 0, progress: 0))
        #expect(Self.ping(&m, at: 1_000 * Self.second, progress: 0))
        m.tickStarted(at: 1_000 * Self.second, progress: 0)
        m.tickEnded()
        #expect(Self.ping(&m, at: 5_000 * Self.second, progress: 0), "a tick that ended long ago says nothing")
    }

    @Test func aTickThatKeepsMovingIsPingedForAsLongAsItRuns() {
        var m = WatchdogMonitor(interval: 10 * Self.second)
        m.tickStarted(at: 0, progress: 7)
        // An hour of sending at one message every 4 s, looked at every 5 s (half the interval).
        for t in stride(from: UInt64(5), through: 3_600, by: 5) {
            #expect(Self.ping(&m, at: t * Self.second, progress: 7 + t / 4), "at \(t) s")
        }
    }

    @Test func aTickThatStopsMovingIsNoLongerPinged() {
        var m = WatchdogMonitor(interval: 10 * Self.second)
        m.tickStarted(at: 0, progress: 3)
        #expect(Self.ping(&m, at: 5 * Self.second, progress: 3), "not moved yet, but within the interval")
        #expect(Self.ping(&m, at: 10 * Self.second, progress: 3))
        #expect(!Self.ping(&m, at: 15 * Self.second, progress: 3), "stuck since it started")
        #expect(Self.ping(&m, at: 20 * Self.second, progress: 4), "it moved again")
        #expect(Self.ping(&m, at: 30 * Self.second, progress: 4))
        #expect(!Self.ping(&m, at: 31 * Self.second, progress: 4), "stuck for more than the interval since it last moved")
        m.tickEnded()
        #expect(Self.ping(&m, at: 32 * Self.second, progress: 4))
    }

    @Test func workDoneBeforeTheTickIsNotTakenForItsProgress() {
        var m = WatchdogMonitor(interval: 10 * Self.second)
        m.tickStarted(at: 0, progress: 50)
        #expect(!Self.ping(&m, at: 11 * Self.second, progress: 50))
    }
}
