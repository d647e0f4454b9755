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
}
