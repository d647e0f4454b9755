import Foundation
@testable import LembraDaemon
import LembraStore
import Testing

/// The metrics a long-running daemon keeps across ticks.
struct MetricsExporterTests {
    /// A segment whose last open debt was paid reads 0, not the count it had: the ledger's status
    /// lists only segments with open debts.
    @Test func aSegmentLeftWithNoOpenDebtsReadsZero() {
        let metrics = MetricsExporter()
        var status = LedgerStatus()
        status.openDebtsBySegment = ["forgetful": 2, "chronic": 1]
        metrics.tick(TickSummary(), at: Date(timeIntervalSince1970: 1_800_000_000), status: status)
        status.openDebtsBySegment = ["chronic": 1]
        metrics.tick(TickSummary(), at: Date(timeIntervalSince1970: 1_800_000_060), status: status)
        let text = metrics.render()
        #expect(text.contains(#"lembra_open_debts{segment="forgetful"} 0"#), "\(text)")
        #expect(text.contains(#"lembra_open_debts{segment="chronic"} 1"#), "\(text)")
    }

    /// Outcomes add up per channel, segment and outcome, each in its own series, from every lane.
    @Test func outcomesAddUpPerChannelSegmentAndOutcome() {
        let metrics = MetricsExporter()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<250 { metrics.attempt(channel: "email", segment: "forgetful", outcome: "sent") }
        }
        metrics.attempt(channel: "email", segment: "forgetful", outcome: "retry")
        metrics.attempt(channel: "sms", segment: "forgetful", outcome: "sent")
        metrics.attempt(channel: "email", segment: "chronic", outcome: "sent")
        let text = metrics.render()
        #expect(text.contains(#"lembra_reminders_total{channel="email",segment="forgetful",outcome="sent"} 1000"#), "\(text)")
        #expect(text.contains(#"lembra_reminders_total{channel="email",segment="forgetful",outcome="retry"} 1"#), "\(text)")
        #expect(text.contains(#"lembra_reminders_total{channel="sms",segment="forgetful",outcome="sent"} 1"#), "\(text)")
        #expect(text.contains(#"lembra_reminders_total{channel="email",segment="chronic",outcome="sent"} 1"#), "\(text)")
    }
}
