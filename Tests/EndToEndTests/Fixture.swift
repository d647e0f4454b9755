import Foundation
import Synchronization
import Testing
import TestSupport

/// A throwaway Lembra installation: a config that sends e-mail to a real SMTP server on
/// loopback, the shipped templates, a database and an inbox in a temp dir (or `database:`, a
/// PostgreSQL URL).
final class Fixture: @unchecked Sendable {
    let dir: TemporaryDirectory
    let smtp: SMTPTestServer
    /// Each message parsed once (see `received()`), keyed by its bytes.
    private let parsed = Mutex<[Data: ParsedEmail]>([:])
    var configPath: String { dir.path("lembra.yaml").path }

    /// A Wednesday, 10:00 in São Paulo: inside the legal window.
    static let wednesday = "2026-11-18T10:00:00-03:00"

    static let urlLink = #"payment_link: { kind: url, template: "https://pay.test/d/{{debt.id}}" }"#

    static let ladders = """
        ladders:
          upcoming:    [ { at: -3d, channel: email, template: upcoming } ]
          forgetful:   [ { at: 1d, channel: email, template: friendly }, { at: 4d, channel: email, template: second-notice } ]
          short_delay: [ { at: 6d, channel: email, template: second-notice } ]
          chronic:     [ { at: 1d, channel: email, template: firm } ]
        """

    init(smtp: SMTPTestServer? = nil, smtpTimeout: String = "30s", smtpConnections: Int = 4, smtpRate: Double? = nil,
         paymentLink: String = Fixture.urlLink, ladders: String = Fixture.ladders, extraChannels: String = "", extraConfig: String = "",
         smtpOptions: String = "", database: String? = nil) throws {
        dir = try TemporaryDirectory("lembra-e2e")
        self.smtp = try smtp ?? SMTPTestServer()
        try dir.write("lembra.yaml", """
            database: \(database ?? dir.path("lembra.sqlite").path)
            inbox: \(dir.path("inbox").path)
            tick: 1s
            timezone: America/Sao_Paulo
            business:
              name: Oficina Teste Ltda
              document: 11.222.333/0001-81
              address: Rua Teste, 1 — São Paulo/SP
            \(ladders)
            on_paid: [ { channel: email, template: thanks } ]
            templates: \(RepositoryPaths.root.appendingPathComponent("config/templates").path)
            channels:
              email: { type: smtp, url: "\(self.smtp.url)", tls: none, from: "Oficina Teste <cobranca@oficina.test>", timeout: \(smtpTimeout),
                       max_connections: \(smtpConnections)\(smtpRate.map { ", rate: \($0)" } ?? "")\(smtpOptions) }
            \(extraChannels)
            \(paymentLink)
            \(extraConfig)
            """)
    }

    /// Runs `lembra` with this fixture's config and the given clock.
    func lembra(_ args: String..., now: String = Fixture.wednesday) throws -> LembraBinary.Result {
        try LembraBinary.run(args + ["--config", configPath, "--now", now])
    }

    /// Runs `lembra` like `lembra(...)`, for a command that must stop at once but might run on
    /// (a daemon that should refuse to start): nil, and the process killed, if it still runs
    /// after `timeout` seconds.
    func lembra(within timeout: Double, _ args: [String], now: String = Fixture.wednesday) throws -> LembraBinary.Result? {
        let process = try LembraBinary.start(args + ["--config", configPath, "--now", now])
        return RunningLembra.waitUntil(timeout: timeout, { !process.process.isRunning }) ? process.wait() : nil
    }

    func start(_ args: String..., now: String = Fixture.wednesday, environment: [String: String] = [:],
               unblockedSignals: Bool = false) throws -> RunningLembra {
        try LembraBinary.start(args + ["--config", configPath, "--now", now], environment: environment, unblockedSignals: unblockedSignals)
    }

    /// Imports `count` customers (`c0`, `c1`, ... at `cN@example.com`), each with one debt `dN`
    /// due 17/11/2026, one day overdue at `Fixture.wednesday`.
    func importCustomersWithOneDebtEach(_ count: Int) throws {
        var customers = "id,name,email\n", debts = "id,customer_id,amount,due_date\n"
        for i in 0..<count {
            customers += "c\(i),Cliente \(i),c\(i)@example.com\n"
            debts += "d\(i),c\(i),\(100 + i).00,2026-11-17\n"
        }
        #expect(try lembra("import", "customers", csv("customers.csv", customers)).status == 0)
        #expect(try lembra("import", "debts", csv("debts.csv", debts)).status == 0)
    }

    /// Writes a CSV into the fixture dir and returns its path.
    func csv(_ name: String, _ text: String) throws -> String { try dir.write(name, text).path }

    /// Every e-mail the SMTP server accepted, parsed by Python's `email` package, each message
    /// once: tests poll this while a daemon sends, and a Python process per message at every
    /// poll (every 20 ms) kept a core busy, taking it from the daemon they were waiting for.
    func received() throws -> [ParsedEmail] {
        try smtp.messages().map { raw in
            if let known = parsed.withLock({ $0[raw] }) { return known }
            let email = try ParsedEmail.parse(raw)
            parsed.withLock { $0[raw] = email }
            return email
        }
    }
}
