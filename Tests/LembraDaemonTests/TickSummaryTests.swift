@testable import LembraDaemon
import Testing

/// The tick's summary adds up its lanes' summaries: every count a lane's holds reaches the
/// total, so a batch a lane put back is counted as deferred.
struct TickSummaryTests {
    @Test func addingAPartAddsEveryCountButTheTime() {
        var part = TickSummary()
        part.customersPlanned = 1; part.claimed = 2; part.skipped = 3; part.held = 4; part.deferred = 5; part.cancelled = 6
        part.sent = 7; part.retried = 8; part.dead = 9; part.inDoubt = 10; part.channelDown = 11; part.imported = 12
        part.rejectedFiles = 13; part.milliseconds = 14
        let counts = Mirror(reflecting: part).children.filter { $0.label != "milliseconds" }
        #expect(counts.allSatisfy { ($0.value as? Int ?? 0) > 0 }, "a count this test does not set")

        var total = TickSummary()
        total.add(part)
        total.add(part)
        let added = Dictionary(uniqueKeysWithValues: Mirror(reflecting: total).children.map { ($0.label ?? "", $0.value as? Int ?? -1) })
        for count in counts { #expect(added[count.label ?? ""] == 2 * (count.value as? Int ?? 0), "\(count.label ?? "")") }
        #expect(total.milliseconds == 0)
    }
}
