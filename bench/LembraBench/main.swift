import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// lembra-bench generate FILE N FRACTION   builds a ledger of N debts, FRACTION due at the measured instant
/// lembra-bench plan FILE                  plans one tick over it; prints times and this process's peak RSS
/// lembra-bench smtp URL CONNECTIONS N BODY        N e-mails through SMTPTransport alone; prints messages/s
/// lembra-bench webhook URL CONNECTIONS N BODY     N signed POSTs through WebhookTransport alone; prints requests/s
/// lembra-bench compose TEMPLATES N ROUNDS [pix|url]  composes N webhooks and N e-mails ROUNDS times with a Pix code
///                                                    (default) or a signed url payment link; prints CPU µs per message
/// lembra-bench ledger N PAYLOAD_BYTES BATCH       the tick's ledger work alone for N due customers, BATCH marked
///                                                    `sending` per commit; prints CPU µs per message
let args = CommandLine.arguments
func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

do {
    switch (args.count > 1 ? args[1] : "", args.count) {
    case ("generate", 5):
        let started = Date()
        try PlanningBenchmark.generate(path: args[2], debts: Int(args[3])!, dueFraction: Double(args[4])!)
        print(String(format: "generated %@ debts in %.1f s", args[3], Date().timeIntervalSince(started)))
    case ("plan", 3):
        let r = try PlanningBenchmark.measure(path: args[2])
        print(String(format: "due=%d messages=%d load=%.3fs plan=%.3fs save=%.3fs total=%.3fs peak_rss=%.1fMB",
                     r.due, r.messages, r.loadSeconds, r.planSeconds, r.saveSeconds, r.total, peakRSSMegabytes()))
    case ("smtp", 6):
        print(String(format: "%.0f", try TransportBenchmark.smtp(url: args[2], connections: Int(args[3])!, count: Int(args[4])!, bodyFile: args[5])))
    case ("webhook", 6):
        print(String(format: "%.0f", try TransportBenchmark.webhook(url: args[2], connections: Int(args[3])!, count: Int(args[4])!, bodyFile: args[5])))
    case ("compose", 5), ("compose", 6):
        guard let link = ComposeBenchmark.Link(rawValue: args.count == 6 ? args[5] : "pix") else { throw BenchError("compose: the link kind is pix or url") }
        let rounds = try ComposeBenchmark.measure(templates: args[2], messages: Int(args[3])!, rounds: Int(args[4])!, link: link)
        for (i, r) in rounds.enumerated() {
            print(String(format: "round=%d messages=%@ webhook=%.2fus email=%.2fus webhook_bytes=%d email_bytes=%d",
                         i + 1, args[3], r.webhookMicros, r.emailMicros, r.webhookBytes, r.emailBytes))
        }
        let median = { (xs: [Double]) in xs.sorted()[xs.count / 2] }
        print(String(format: "median: webhook=%.2fus email=%.2fus per message (min %.2f, %.2f; thread CPU time)",
                     median(rounds.map(\.webhookMicros)), median(rounds.map(\.emailMicros)),
                     rounds.map(\.webhookMicros).min()!, rounds.map(\.emailMicros).min()!))
    case ("ledger", 5):
        let r = try LedgerBenchmark.measure(customers: Int(args[2])!, payloadBytes: Int(args[3])!, batch: Int(args[4])!)
        print(String(format: "messages=%d load=%.2fus plan=%.2fus claim=%.2fus mark_and_record=%.2fus total=%.2fus wall=%.3fs (CPU per message)",
                     r.messages, r.micros(r.load), r.micros(r.plan), r.micros(r.claim), r.micros(r.markAndRecord),
                     r.micros(r.load + r.plan + r.claim + r.markAndRecord), r.wallSeconds))
    default:
        FileHandle.standardError.write(Data("usage: lembra-bench generate FILE N FRACTION | plan FILE | smtp|webhook URL CONNECTIONS N BODY | compose TEMPLATES N ROUNDS [pix|url] | ledger N PAYLOAD_BYTES BATCH\n".utf8))
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("lembra-bench: \(error)\n".utf8))
    exit(1)
}
