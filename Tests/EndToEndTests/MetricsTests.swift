import Foundation
import Testing
import TestSupport

/// The metrics file node_exporter's textfile collector reads, written after each tick.
struct MetricsTests {
    @Test func aTickWritesPrometheusTextWithOutcomesAndGauges() throws {
        let dir = try TemporaryDirectory()
        let metrics = dir.path("lembra.prom").path
        let f = try Fixture(extraConfig: "metrics_file: \(metrics)")
        #expect(try f.lembra("import", "customers", f.csv("c.csv", "id,name,email,phone\nc1,Ana,ana@example.com,\nc2,Bia,,+55 11 91234-5678\n")).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", "id,customer_id,amount,due_date\nd1,c1,10.00,2026-11-17\nd2,c2,10.00,2026-11-17\n")).status == 0)
        #expect(try f.lembra("run", "--once").status == 0)
        let text = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(text.contains(#"lembra_reminders_total{channel="email",segment="forgetful",outcome="sent"} 1"#), "\(text)")
        #expect(text.contains(#"lembra_reminders_total{channel="email",segment="forgetful",outcome="skipped"} 1"#), "\(text)")
        #expect(text.contains(#"lembra_open_debts{segment="forgetful"} 2"#), "\(text)")
        #expect(text.contains("lembra_in_doubt_attempts 0"), "\(text)")
        #expect(text.contains("# TYPE lembra_tick_duration_seconds gauge"), "\(text)")
        let fm = FileManager.default
        #expect(try fm.contentsOfDirectory(atPath: dir.url.path) == ["lembra.prom"], "no temp file left behind")
    }

    /// As in the example config (/var/lib/lembra/metrics/lembra.prom under the state directory),
    /// the metrics file's folder need not exist yet.
    @Test func theMetricsFolderIsCreatedWhenMissing() throws {
        let dir = try TemporaryDirectory()
        let metrics = dir.path("metrics/lembra.prom").path
        let f = try Fixture(extraConfig: "metrics_file: \(metrics)")
        let run = try f.lembra("run", "--once")
        #expect(run.status == 0, "\(run)")
        #expect(!run.stderr.contains("metrics_write_failed"), "\(run)")
        #expect(FileManager.default.fileExists(atPath: metrics))
    }
}
