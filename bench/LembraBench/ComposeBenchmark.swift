import Foundation
import LembraCore
import LembraDaemon
import LembraStore

/// The CPU cost of composing one message (template context, rendering, webhook JSON or e-mail
/// payload), without the ledger or the network: the config `scripts/bench-delivery.sh` uses
/// (shipped templates, a Pix payment link), one debt per customer, one day overdue. `link: .url`
/// swaps the Pix code for a signed `kind: url` link (HMAC-SHA256, `exp` and `sig` per debt).
struct ComposeBenchmark {
    static let now = PlanningBenchmark.now

    /// Which `payment_link` the config has.
    enum Link: String { case pix, url }

    /// The config: a webhook channel (`friendly-sms`) and an SMTP channel (`friendly`).
    static func config(templates: String, link: Link, in dir: URL) throws -> LembraConfig {
        let secret = dir.appendingPathComponent("secret")
        try "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n".write(to: secret, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        let paymentLink = switch link {
        case .pix: "payment_link: { kind: pix, key: 11.222.333/0001-81, merchant_name: Oficina Exemplo, merchant_city: São Paulo }"
        case .url: #"payment_link: { kind: url, template: "https://pagar.oficina-exemplo.com.br/d/{{debt.id}}", "#
            + "signing_secret_file: \(secret.path), expires_in: 7d }"
        }
        let yaml = """
            database: \(dir.appendingPathComponent("lembra.sqlite").path)
            timezone: America/Sao_Paulo
            business:
              name: Oficina Exemplo Ltda
              document: 11.222.333/0001-81
              address: Rua das Flores, 100 — Centro, São Paulo/SP, 01001-000
              reply_to: financeiro@oficina-exemplo.com.br
            ladders:
              upcoming:    [ { at: -3d, channel: email, template: friendly } ]
              forgetful:   [ { at: 1d, channel: email, template: friendly }, { at: 2d, channel: sms, template: friendly-sms } ]
              short_delay: [ { at: 6d, channel: email, template: friendly } ]
              chronic:     [ { at: 1d, channel: email, template: friendly } ]
            on_paid:       [ { channel: email, template: friendly } ]
            templates: \(URL(fileURLWithPath: templates).standardizedFileURL.path)
            channels:
              email: { type: smtp, url: "smtp://127.0.0.1:2525", tls: none, from: "Oficina Exemplo <cobranca@oficina-exemplo.com.br>" }
              sms: { type: webhook, url: "http://127.0.0.1:8080/hook", secret_file: \(secret.path), requires: none }
            \(paymentLink)
            """
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
