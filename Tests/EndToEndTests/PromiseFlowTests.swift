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

    @Test func aPromiseHoldsTheNextReminderIsConfirmedOnceAndThenTheBrokenPromiseGoesOut() throws {
        let secrets = try TemporaryDirectory()
        let paymentsSecret = try secrets.write("payments-secret", IngressTests.secret)
        let promiseSecret = try secrets.write("promise-secret", "promise-secret-0123456789abcdef")
        for file in [paymentsSecret, promiseSecret] { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path) }
        let f = try Fixture(ladders: IngressTests.ladders, extraConfig: """
            ingress:
              listen: "127.0.0.1:0"
              payments_secret_file: "\(paymentsSecret.path)"
              public_url: \(Self.publicURL)
              promise: { max_days: 10, signing_secret_file: "\(promiseSecret.path)" }
            """)
        try f.importCustomersWithOneDebtEach(2)
        let daemon = try f.start("run")
        guard RunningLembra.waitUntil({ daemon.stderr.contains("event=ingress_listening") }),
              let field = daemon.stderr.split(separator: " ").first(where: { $0.hasPrefix("port=") }), let port = Int(field.dropFirst(5)) else {
            Issue.record("the ingress did not start\n\(daemon.stderr)"); return
        }
        func mails(_ to: String) throws -> [ParsedEmail] { try f.received().filter { $0["to"]?.contains(to) == true } }
        #expect(RunningLembra.waitUntil { (try? f.received().count) == 2 }, "both friendly reminders first\n\(daemon.stderr)")

        // The link in the reminder, pointed at the listener instead of the public address.
        let body = try #require(try mails("c0@").first?.body)
        let signed = try #require(body.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("\(Self.publicURL)/promise?") })
        #expect(signed.hasPrefix("\(Self.publicURL)/promise?d=d0&due=2026-11-17&step=forgetful.1d&exp="), "\(signed)")
        let link = signed.replacingOccurrences(of: Self.publicURL, with: "http://127.0.0.1:\(port)")
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
        #expect(RunningLembra.waitUntil { daemon.stderr.components(separatedBy: "event=tick ").count > 4 }, "two more ticks")
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
        // Monday the 23rd: the promise passed unpaid; the next reminder is the broken-promise one, once.
        let monday = "2026-11-23T10:00:00-03:00"
        #expect(try f.lembra("run", "--once", now: monday).status == 0)
        #expect(try f.lembra("run", "--once", now: monday).status == 0)
        let after = try mails("c0@")
        #expect(after.count == 3 && after.last?["subject"]?.contains("Sobre a sua promessa de pagamento") == true, "\(after.map { $0["subject"] ?? "" })")
    }
}
