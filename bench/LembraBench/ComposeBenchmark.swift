import Foundation
import LembraCore
import LembraDaemon
import LembraStore

/// The CPU cost of composing one message (template context, rendering, webhook JSON or e-mail
/// payload), without the ledger or the network: `bench/compose.yaml` (shipped templates, a Pix
/// payment link, the config ComposeOracleTests checks too), one debt per customer, one day
/// overdue, as `scripts/bench-delivery.sh` imports them. `link: .url` swaps the Pix code for a
/// signed `kind: url` link (HMAC-SHA256, `exp` and `sig` per debt).
struct ComposeBenchmark {
    static let now = PlanningBenchmark.now

    /// Which `payment_link` the config has.
    enum Link: String { case pix, url }

    /// The shared config file, found from this source file so the bench runs from any directory.
    static let configFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("compose.yaml")

    /// `bench/compose.yaml` with `templates`, written into `dir` beside its webhook secret; with
    /// `link: .url` its `payment_link` line is swapped for a signed url one using that secret.
    static func config(templates: String, link: Link, in dir: URL) throws -> LembraConfig {
        let secret = dir.appendingPathComponent("secret")
        try "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n".write(to: secret, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        var yaml = try String(contentsOf: configFile, encoding: .utf8)
            .replacingOccurrences(of: "${templates}", with: URL(fileURLWithPath: templates).standardizedFileURL.path)
        if link == .url {
            let signed = #"payment_link: { kind: url, template: "https://pagar.oficina-exemplo.com.br/d/{{debt.id}}", "#
                + "signing_secret_file: \(secret.path), expires_in: 7d }"
            var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let line = lines.firstIndex(where: { $0.hasPrefix("payment_link:") }) else {
                throw BenchError("\(configFile.path) has no payment_link line to swap")
            }
            lines[line] = signed
            yaml = lines.joined(separator: "\n")
        }
        let file = dir.appendingPathComponent("lembra.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        var warnings: [ConfigProblem] = []
        return try ConfigLoader.load(file.path, warnings: &warnings)
    }

    /// Customer `i` with one debt, one day overdue, as `scripts/bench-delivery.sh` imports them.
    static func message(_ i: Int, channel: String, template: String) -> (PlannedMessage, Customer) {
        let customer = Customer(id: "c\(i)", name: "Cliente \(i)", email: "c\(i)@cliente.example", phone: "+55 11 9\(i % 10000)-\(i % 10000)")
        let debt = Debt(id: "d\(i)", customerID: customer.id, amount: Money(cents: Int64(100 + i % 900) * 100 + 90),
                        dueDate: CalendarDate(year: 2026, month: 11, day: 17)!, description: "Revisão de freios")
        let m = PlannedMessage(kind: .reminder, customerID: customer.id, segment: "forgetful", channel: channel, template: template,
                               handoff: false, items: [.init(debt: debt, stepID: "forgetful.1d", day: 1)], superseded: [])
        return (m, customer)
    }

    /// CPU time of this thread: on a shared 2-core machine, wall time mostly measures the neighbours.
    static func threadCPUNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    struct Round { var webhookMicros: Double, emailMicros: Double, webhookBytes: Int, emailBytes: Int }

    /// `rounds` passes of `n` webhooks then `n` e-mails, after a warm-up pass; CPU µs per message.
    static func measure(templates: String, messages n: Int, rounds: Int, link: Link = .pix) throws -> [Round] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lembra-bench-compose-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try config(templates: templates, link: link, in: dir)
        let composer = MessageComposer(config: config)
        let webhooks = (0..<n).map { message($0, channel: "sms", template: "friendly-sms") }
        let emails = (0..<n).map { message($0, channel: "email", template: "friendly") }

        func pass(_ batch: [(PlannedMessage, Customer)]) throws -> (Double, Int) {
            var bytes = 0
            let t0 = threadCPUNanoseconds()
            for (m, c) in batch {
                let r = composer.compose(m, customer: c, now: now)
                guard r.skipReason == nil else { throw BenchError("compose skipped \(m.channel): \(r.skipReason!)") }
                bytes += r.payload.count
            }
            let t1 = threadCPUNanoseconds()
            return (Double(t1 - t0) / 1e3 / Double(batch.count), bytes)
        }
        _ = try pass(Array(webhooks.prefix(500)))
        _ = try pass(Array(emails.prefix(500)))
        return try (0..<rounds).map { _ in
            let (w, wb) = try pass(webhooks)
            let (e, eb) = try pass(emails)
            return Round(webhookMicros: w, emailMicros: e, webhookBytes: wb, emailBytes: eb)
        }
    }
}
