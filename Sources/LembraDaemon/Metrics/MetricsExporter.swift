import CoreMetrics
import Foundation
import LembraDelivery
import LembraStore
import Prometheus
import Synchronization

/// The daemon's metrics, through swift-metrics into a Prometheus registry, written after each
/// tick as a text file for node_exporter's textfile collector (`metrics_file:`). Counters
/// accumulate for the life of the process; gauges are read from the ledger after each tick that
/// writes the file.
public final class MetricsExporter: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    /// Every segment `lembra_open_debts` has reported, so one that empties goes back to 0.
    private let seenSegments = Mutex<Set<String>>([])
    /// `lembra_reminders_total`'s counters, by their dimensions.
    private let reminders = Mutex<[ReminderSeries: CoreMetrics.Counter]>([:])
    /// Work the ticks finished (transfers, recorded outcomes, inbox files), for the watchdog to
    /// tell a slow tick from a stuck one; not exported.
    public let progress = ProgressCounter()

    public init() {
        factory = PrometheusMetricsFactory(registry: registry)
    }

    /// One attempt's outcome: `lembra_reminders_total{channel,segment,outcome}`. Each counter is
    /// made once and kept: making it again for every message (the registry's lookup by label
    /// and dimensions) cost about 6,000 instructions.
    func attempt(channel: String, segment: String, outcome: String) {
        progress.advance()
        let key = ReminderSeries(channel: channel, segment: segment, outcome: outcome)
        let counter = reminders.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = CoreMetrics.Counter(label: "lembra_reminders_total",
                                              dimensions: [("channel", channel), ("segment", segment), ("outcome", outcome)], factory: factory)
            counters[key] = counter
            return counter
        }
        counter.increment()
    }

    /// The dimensions of one `lembra_reminders_total` series.
    private struct ReminderSeries: Hashable {
        let channel, segment, outcome: String
    }

    /// An inbox file: `lembra_inbox_files_total{result="imported"|"rejected"}`.
    func inboxFile(result: String) {
        progress.advance()
        CoreMetrics.Counter(label: "lembra_inbox_files_total", dimensions: [("result", result)], factory: factory).increment()
    }

    /// After a tick: its duration, the time it ended, and the ledger's gauges.
    func tick(_ summary: TickSummary, at now: Date, status: LedgerStatus) {
        gauge("lembra_tick_duration_seconds").record(Double(summary.milliseconds) / 1000)
        gauge("lembra_last_successful_tick_timestamp_seconds").record(now.timeIntervalSince1970)
        gauge("lembra_in_doubt_attempts").record(status.attemptsByState["in_doubt"] ?? 0)
        gauge("lembra_dead_attempts").record(status.attemptsByState["dead"] ?? 0)
        gauge("lembra_retrying_attempts").record(status.attemptsByState["retry"] ?? 0)
        // A segment left with no open debts must read 0, not its last count: the status query
        // only lists segments that have some, so every segment ever reported is set each time.
        let segments = seenSegments.withLock { seen in seen.formUnion(status.openDebtsBySegment.keys); return seen }
        for segment in segments {
            gauge("lembra_open_debts", [("segment", segment)]).record(status.openDebtsBySegment[segment] ?? 0)
        }
    }

    private func gauge(_ label: String, _ dimensions: [(String, String)] = []) -> CoreMetrics.Gauge {
        CoreMetrics.Gauge(label: label, dimensions: dimensions, factory: factory)
    }

    /// The Prometheus text format of everything recorded so far.
    public func render() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Writes `render()` to `path` atomically (temp file + rename), so the collector never reads half a file.
    /// The folder is created if missing: the collector's own folder under the state directory
    /// (the example's /var/lib/lembra/metrics) exists only once something puts it there.
    func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        try Data(render().utf8).write(to: temp)
        guard rename(temp.path, url.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temp)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)])
        }
    }
}
