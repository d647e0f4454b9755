import Foundation
import Testing
import TestSupport

/// The payment promise with the running daemon (`lembra run` with `ingress.promise`): the link
/// in the reminder opens the page, the form records the promise, the confirmation goes out
/// once, the next reminder is held while the promise lasts, and after it the broken-promise
/// reminder goes out. Through a real HTTP client, the built binary and a real SMTP server.
@Suite(.serialized) struct PromiseFlowTests {
    static let publicURL = "https://pay.test/lembra"

    /// Runs the promise client: the status and the page.
    static func request(_ method: String, _ url: String, form: String = "") throws -> (status: Int, page: String) {
        let out = String(decoding: try ShellCommand.run(RepositoryPaths.python, [RepositoryPaths.servers.appendingPathComponent("promise_client.py").path,
                                                                                  method, url], input: Data(form.utf8)), as: UTF8.self)
        let lines = out.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        return (Int(lines[0]) ?? -1, lines.count > 1 ? String(lines[1]) : "")
    }

    /// The port the daemon's ingress listens on, once it says so.
    static func listeningPort(_ daemon: RunningLembra) throws -> Int {
        guard RunningLembra.waitUntil({ daemon.stderr.contains("event=ingress_listening") }),
              let field = daemon.stderr.split(separator: " ").first(where: { $0.hasPrefix("port=") }), let port = Int(field.dropFirst(5)) else {
            throw IngressTests.StartFailure(description: "the ingress did not start\n\(daemon.stderr)")
        }
        return port
    }

    /// A daemon with `ingress.promise` on a port the system picks, two customers, and their first
    /// reminders sent; the promise link of `c0`'s, pointed at the listener instead of the public address.
    struct Started {
        let f: Fixture
        let daemon: RunningLembra
        let port: Int
        let link: String
        let secrets: TemporaryDirectory

        func mails(_ to: String) throws -> [ParsedEmail] { try f.received().filter { $0["to"]?.contains(to) == true } }
    }

    /// `sms`: a receiver for an `sms` webhook channel, which `ladders` may then use.
    static func start(ladders: String = IngressTests.ladders, sms: WebhookReceiver? = nil) throws -> Started {
        let secrets = try TemporaryDirectory()
        let paymentsSecret = try secrets.write("payments-secret", IngressTests.secret)
        let promiseSecret = try secrets.write("promise-secret", "promise-secret-0123456789abcdef")
        let smsSecret = try secrets.write("sms-secret", sms?.secret ?? "")
        for file in [paymentsSecret, promiseSecret, smsSecret] { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path) }
        let channel = sms.map { "  sms: { type: webhook, url: \"\($0.url)\", secret_file: \"\(smsSecret.path)\", timeout: 5s }" } ?? ""
        let f = try Fixture(ladders: ladders, extraChannels: channel, extraConfig: """
            ingress:
              listen: "127.0.0.1:0"
              payments_secret_file: "\(paymentsSecret.path)"
              public_url: \(Self.publicURL)
              promise: { max_days: 10, signing_secret_file: "\(promiseSecret.path)" }
            """)
        try f.importCustomersWithOneDebtEach(2)
        let daemon = try f.start("run")
        let port = try listeningPort(daemon)
        guard RunningLembra.waitUntil({ (try? f.received().count) == 2 }),
              let body = try f.received().first(where: { $0["to"]?.contains("c0@") == true })?.body,
              let signed = body.split(whereSeparator: \.isWhitespace).first(where: { $0.hasPrefix("\(Self.publicURL)/promise?") }) else {
            throw IngressTests.StartFailure(description: "no reminder with a promise link\n\(daemon.stderr)")
        }
        #expect(signed.hasPrefix("\(Self.publicURL)/promise?d=d0&due=2026-11-17&step=forgetful.1d&exp="), "\(signed)")
        return Started(f: f, daemon: daemon, port: port, link: signed.replacingOccurrences(of: Self.publicURL, with: "http://127.0.0.1:\(port)"),
                       secrets: secrets)
    }

    @Test func aPromiseHoldsTheNextReminderIsConfirmedOnceAndThenTheBrokenPromiseGoesOut() throws {
        let s = try Self.start()
        let (f, daemon, port, link) = (s.f, s.daemon, s.port, s.link)
        func mails(_ to: String) throws -> [ParsedEmail] { try s.mails(to) }
        let query = String(link.split(separator: "?", maxSplits: 1)[1])

        let page = try Self.request("get", link)
        #expect(page.status == 200, "\(page)")
        #expect(page.page.contains(#"<html lang="pt-BR">"#) && page.page.contains("R$ 100,00") && page.page.contains(#"<form method="post""#))
        #expect(page.page.contains(#"<label for="date">"#) && page.page.contains(#"min="2026-11-19" max="2026-11-28""#), "\(page.page)")
        #expect(try Self.request("get", link.replacingOccurrences(of: "d=d0", with: "d=d1")).status == 403, "an altered link")
        let late = try Self.request("post", "http://127.0.0.1:\(port)/promise", form: query + "&date=2026-11-29")
        #expect(late.status == 400 && late.page.contains(#"role="alert""#), "past max_days: \(late)")
        let made = try Self.request("post", "http://127.0.0.1:\(port)/promise", form: query + "&date=2026-11-21")
        #expect(made.status == 200 && made.page.contains("21/11/2026"), "\(made)")
        let again = try Self.request("post", "http://127.0.0.1:\(port)/promise", form: query + "&date=2026-11-20")
        #expect(again.status == 409 && again.page.contains("já foi usado"), "\(again)")
        #expect(try Self.request("get", link).status == 409)

        #expect(RunningLembra.waitUntil { (try? mails("c0@").count) == 2 }, "the confirmation\n\(daemon.stderr)")
        let ticks = { daemon.stderr.components(separatedBy: "event=tick ").count }, before = ticks()
        #expect(RunningLembra.waitUntil { ticks() >= before + 2 }, "two more ticks after the confirmation")
        daemon.signal(SIGTERM)
        #expect(daemon.wait().status == 0, "\(daemon.stderr)")
        #expect(daemon.stderr.contains("event=ingress_promise debt=d0 step=forgetful.1d through=2026-11-21"), "\(daemon.stderr)")
        #expect(daemon.stderr.contains("event=ingress_rejected route=/promise reason=invalid_signature"))
        #expect(!daemon.stderr.contains("Cliente") && !daemon.stderr.contains("@example.com") && !daemon.stderr.contains("sig="),
                "no names, addresses or links in the log")
        let c0 = try mails("c0@")
        #expect(c0.filter { $0["subject"]?.contains("Promessa de pagamento registrada") == true }.count == 1, "\(c0.map { $0["subject"] ?? "" })")
        let history = try f.lembra("history", "d0").stdout
        #expect(history.contains("promised") && history.contains("through=2026-11-21"), "\(history)")

        // Saturday the 21st, the 4d step: held for the promise (preview says so), sent to the other customer.
        let saturday = "2026-11-21T10:00:00-03:00"
        #expect(try f.lembra("preview", now: saturday).stdout.contains("promised"))
        #expect(try f.lembra("run", "--once", now: saturday).status == 0)
        #expect(try mails("c0@").count == 2, "held while the promise lasts")
        #expect(try mails("c1@").count == 2, "the other debt's reminder goes out")
        #expect(try f.lembra("history", "d0").stdout.contains("reason=promised"), "the held step has its row")
        // Monday the 23rd: the promise passed unpaid; the next reminder is the broken-promise one, once.
        let monday = "2026-11-23T10:00:00-03:00"
        #expect(try f.lembra("run", "--once", now: monday).status == 0)
        #expect(try f.lembra("run", "--once", now: monday).status == 0)
        let after = try mails("c0@")
        #expect(after.count == 3 && after.last?["subject"]?.contains("Sobre a sua promessa de pagamento") == true, "\(after.map { $0["subject"] ?? "" })")
    }

    /// The page in a real browser (Debian's chromium, headless): it renders with its date limits,
    /// the form is filled in and submitted as a user does, and both pages are saved as screenshots
    /// in `.build/test-output/promise-browser/`.
    @Test func theFormWorksInAHeadlessBrowser() throws {
        let s = try Self.start()
        let output = RepositoryPaths.root.appendingPathComponent(".build/test-output/promise-browser")
        try? FileManager.default.removeItem(at: output)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let out = try ShellCommand.run(RepositoryPaths.python, [RepositoryPaths.servers.appendingPathComponent("promise_browser.py").path,
                                                                s.link, "2026-11-20", output.path])
        let result = try #require(try JSONSerialization.jsonObject(with: out) as? [String: [String: String]], "\(String(decoding: out, as: UTF8.self))")
        #expect(result["form"] == ["lang": "pt-BR", "min": "2026-11-19", "max": "2026-11-28", "label": "Data do pagamento"])
        #expect(result["done"]?["title"] == "Promessa registrada" && result["done"]?["text"]?.contains("20/11/2026") == true, "\(result)")
        for name in ["promise-form.png", "promise-done.png"] {
            let png = try Data(contentsOf: output.appendingPathComponent(name))
            #expect(png.count > 1000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name)")
        }
        #expect(RunningLembra.waitUntil { (try? s.mails("c0@").count) == 2 }, "the confirmation\n\(s.daemon.stderr)")
        s.daemon.signal(SIGTERM)
        #expect(s.daemon.wait().status == 0, "\(s.daemon.stderr)")
        #expect(try s.f.lembra("history", "d0").stdout.contains("through=2026-11-20"))
    }

    /// The forgetful ladder's second step goes by SMS (a webhook gateway).
    static let smsLadders = """
        ladders:
          upcoming: []
          forgetful: [ { at: 1d, channel: email, template: friendly }, { at: 4d, channel: sms, template: friendly-sms } ]
          short_delay: [ { at: 6d, channel: email, template: second-notice } ]
          chronic: [ { at: 1d, channel: email, template: friendly } ]
        """

    /// The promise made from the e-mail's link passes unpaid before the SMS step: the gateway
    /// gets the short broken-promise text (no `Subject:` line, no letter), the other customer
    /// the step's own.
    @Test func aBrokenPromiseOnTheSMSStepReachesTheGatewayAsAShortText() throws {
        let sms = try WebhookReceiver()
        let s = try Self.start(ladders: Self.smsLadders, sms: sms)
        let query = String(s.link.split(separator: "?", maxSplits: 1)[1])
        let made = try Self.request("post", "http://127.0.0.1:\(s.port)/promise", form: query + "&date=2026-11-19")
        #expect(made.status == 200, "\(made)")
        #expect(RunningLembra.waitUntil { (try? s.mails("c0@").count) == 2 }, "the confirmation, by e-mail\n\(s.daemon.stderr)")
        s.daemon.signal(SIGTERM)
        #expect(s.daemon.wait().status == 0, "\(s.daemon.stderr)")

        // Saturday the 21st, the 4d step: the promise (through Thursday) has passed unpaid.
        #expect(try s.f.lembra("run", "--once", now: "2026-11-21T10:00:00-03:00").status == 0)
        // The messages, not the daemon's check of the channel when it starts (a `ping_` request).
        let bodies = try sms.requests().compactMap { try JSONSerialization.jsonObject(with: $0.body) as? [String: Any] }
            .filter { ($0["attempt_id"] as? String)?.hasPrefix("att_") == true }
        let text = { (customer: String) in
            bodies.first { ($0["customer"] as? [String: Any])?["id"] as? String == customer }?["text"] as? String ?? ""
        }
        #expect(bodies.count == 2, "\(bodies.map { $0["attempt_id"] ?? "" })")
        #expect(text("c0").hasPrefix("Oficina Teste Ltda (CPF/CNPJ 11.222.333/0001-81): Olá, Cliente 0. A data que você combinou"), "\(text("c0"))")
        #expect(!text("c0").contains("Subject:") && !text("c0").trimmingCharacters(in: .newlines).contains("\n"), "\(text("c0"))")
        #expect(text("c1").contains("Lembrete do pagamento"), "the step's own template: \(text("c1"))")
        #expect(try s.mails("c0@").count == 2, "nothing more by e-mail")
    }

    /// A backup taken after the promise carries it: restored, the debt is still held, the used
    /// link still answers 409, and the unmatched payment the ingress kept is still listed.
    @Test func aRestoredBackupKeepsThePromiseItsUsedLinkAndTheUnmatchedPayment() throws {
        let s = try Self.start()
        let query = String(s.link.split(separator: "?", maxSplits: 1)[1])
        #expect(try Self.request("post", "http://127.0.0.1:\(s.port)/promise", form: query + "&date=2026-11-21").status == 200)
        let unknown = String(decoding: try ShellCommand.run(RepositoryPaths.python, [
            RepositoryPaths.servers.appendingPathComponent("ingress_client.py").path, "http://127.0.0.1:\(s.port)/payments",
            "--secret-file", s.secrets.path("payments-secret").path, "--id", "msg_unknown", "--timestamp", "\(IngressTests.wednesday)",
        ], input: Data(IngressTests.confirmation("nope", cents: "500", reference: "E2E-unknown").utf8)), as: UTF8.self)
        #expect(unknown.contains("unmatched"), "\(unknown)")
        #expect(RunningLembra.waitUntil { (try? s.mails("c0@").count) == 2 }, "the confirmation\n\(s.daemon.stderr)")
        s.daemon.signal(SIGTERM)
        #expect(s.daemon.wait().status == 0, "\(s.daemon.stderr)")

        let f = s.f, backup = f.dir.path("backup.sqlite").path
        #expect(try f.lembra("backup", backup, now: "2026-11-18T11:00:00-03:00").status == 0)
        let restore = try f.lembra("restore", backup, now: "2026-11-19T10:00:00-03:00")
        #expect(restore.status == 0, "\(restore)")

        #expect(try f.lembra("status", now: "2026-11-19T10:00:00-03:00").stdout.contains("reason=unknown_debt debt=nope amount=5.00"))
        let saturday = "2026-11-21T10:00:00-03:00"
        #expect(try f.lembra("preview", now: saturday).stdout.contains("promised"), "still held")
        #expect(try f.lembra("run", "--once", now: saturday).status == 0)
        #expect(try s.mails("c0@").count == 2, "held while the promise lasts")
        #expect(try s.mails("c1@").count == 2, "the other debt's reminder goes out")
        let history = try f.lembra("history", "d0").stdout
        #expect(history.contains("through=2026-11-21") && history.contains("reason=promised"), "\(history)")

        let daemon = try f.start("run", now: saturday)
        let port = try Self.listeningPort(daemon)
        let used = try Self.request("post", "http://127.0.0.1:\(port)/promise", form: query + "&date=2026-11-25")
        #expect(used.status == 409 && used.page.contains("já foi usado"), "the link stays used: \(used)")
        daemon.signal(SIGTERM)
        #expect(daemon.wait().status == 0, "\(daemon.stderr)")
    }
}
