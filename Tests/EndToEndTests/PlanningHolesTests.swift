import Foundation
import Testing
import TestSupport

/// Every due reminder goes out once, on the built binary and a real SMTP server: a customer
/// whose segment changes with time is planned that day; a notice the window holds before the
/// due date goes out in time or leaves a row; the due date has its own step ("vence hoje");
/// a renegotiated debt's pending reminder gives way to one with the new terms; an edited config
/// is planned again.
/// October–November 2026 in São Paulo: Sat Oct 31, Mon Nov 2 (a holiday), Sun Nov 15 (a
/// holiday), Mon Nov 16, Sun Nov 22.
@Suite(.serialized) struct PlanningHolesTests {
    static let customer = "id,name,email\nc1,Ana Souza,ana@example.com\n"

    static func ladders(upcoming: String) -> String {
        """
        ladders:
          upcoming:    \(upcoming)
          forgetful:   [ { at: 1d, channel: email, template: friendly } ]
          short_delay: [ { at: 6d, channel: email, template: second-notice } ]
          chronic:     [ { at: 1d, channel: email, template: firm } ]
        """
    }

    /// Imports `c1` and one debt `d1` due `due`, at `now`.
    func load(_ f: Fixture, due: String, amount: String = "100.00", now: String) throws {
        #expect(try f.lembra("import", "customers", f.csv("c.csv", Self.customer), now: now).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", "id,customer_id,amount,due_date\nd1,c1,\(amount),\(due)\n"), now: now).status == 0)
    }

    func run(_ f: Fixture, at now: String) throws -> LembraBinary.Result {
        let run = try f.lembra("run", "--once", now: now)
        #expect(run.status == 0, "\(run)")
        return run
    }

    /// Day 29 the customer is short_delay, whose last step (6d) went out; on day 31 she is
    /// chronic (`days_overdue > 30`). No ladder has a step after day 6, yet the chronic step is
    /// due that day: `preview` says so, and `run` sends it.
    @Test func aCustomerTurningChronicGetsTheChronicStepThatDay() throws {
        let f = try Fixture(ladders: Self.ladders(upcoming: "[]"))
        try load(f, due: "2026-10-16", now: "2026-11-14T09:00:00-03:00")
        #expect(try run(f, at: "2026-11-14T10:00:00-03:00").stdout.contains("sent=1"))
        let monday = "2026-11-16T10:00:00-03:00"
        let preview = try f.lembra("preview", now: monday)
        #expect(preview.stdout.contains("send  customer=c1 segment=chronic step=chronic.1d channel=email template=firm debts=d1"), "\(preview)")
        #expect(try run(f, at: monday).stdout.contains("sent=1"))
        #expect(try f.received().map { $0["subject"] ?? "" } == ["Pagamento em aberto — Oficina Teste Ltda", "Aviso de pagamento pendente — Oficina Teste Ltda"])
    }

    /// A config edited between ticks (here a step added on day 3): the next checks the ledger
    /// holds were computed under the old ladders, so the next tick plans every open debt again,
    /// once, and sends what `preview` shows. The same config in a new process changes nothing.
    @Test func aChangedConfigIsPlannedAgainAtTheNextTick() throws {
        let f = try Fixture(ladders: Self.ladders(upcoming: "[]"))
        try load(f, due: "2026-11-10", now: "2026-11-11T09:00:00-03:00")
        let first = try run(f, at: "2026-11-11T10:00:00-03:00")
        #expect(first.stdout.contains("sent=1") && !first.stderr.contains("event=plan_again"), "a new ledger: its debts are due already\n\(first)")
        #expect(try !run(f, at: "2026-11-11T11:00:00-03:00").stderr.contains("event=plan_again"), "the same config in another process")

        let config = try String(contentsOfFile: f.configPath, encoding: .utf8)
        try f.dir.write("lembra.yaml", config.replacingOccurrences(of: "forgetful:   [ { at: 1d, channel: email, template: friendly } ]",
            with: "forgetful:   [ { at: 1d, channel: email, template: friendly }, { at: 3d, channel: email, template: second-notice } ]"))
        let wednesday = "2026-11-13T10:00:00-03:00"
        #expect(try f.lembra("preview", now: wednesday).stdout.contains("send  customer=c1 segment=forgetful step=forgetful.3d"))
        let changed = try run(f, at: wednesday)
        #expect(changed.stdout.contains("sent=1") && changed.stderr.contains("event=plan_again reason=policy_changed"), "\(changed)")
        #expect(try f.received().map { $0["subject"] ?? "" } == ["Um lembrete amigável sobre seu pagamento — Oficina Teste Ltda", "Pagamento em aberto — Oficina Teste Ltda"])
    }

    /// `-1d` on Sunday the 15th (a holiday): held, it goes out at Monday's opening, the due date.
    @Test func aNoticeHeldTheDayBeforeGoesOutOnTheDueDate() throws {
        let f = try Fixture(ladders: Self.ladders(upcoming: "[ { at: -1d, channel: email, template: upcoming } ]"))
        try load(f, due: "2026-11-16", now: "2026-11-13T10:00:00-03:00")
        #expect(try run(f, at: "2026-11-15T10:00:00-03:00").stdout.contains("sent=0 retry=0 dead=0 held=1"))
        #expect(try run(f, at: "2026-11-16T08:30:00-03:00").stdout.contains("sent=1"))
        let mail = try #require(try f.received().first)
        #expect(mail["subject"] == "Lembrete: vencimento em breve — Oficina Teste Ltda" && mail.body.contains("vence em 16/11/2026"))
    }

    /// `-1d` on Sunday Nov 1 and the due date a holiday: no opening is left before the due date
    /// ends, so the notice goes out on Saturday, the last day the window opens before it.
    @Test func aNoticeWithNoOpeningLeftGoesOutOnTheSaturdayBefore() throws {
        let f = try Fixture(ladders: Self.ladders(upcoming: "[ { at: -1d, channel: email, template: upcoming } ]"))
        try load(f, due: "2026-11-02", now: "2026-10-30T10:00:00-03:00")
        #expect(try run(f, at: "2026-10-30T10:00:00-03:00").stdout.contains("sent=0"))
        let saturday = "2026-10-31T09:00:00-03:00"
        #expect(try f.lembra("preview", now: saturday).stdout.contains("send  customer=c1 segment=forgetful step=upcoming.-1d"))
        #expect(try run(f, at: saturday).stdout.contains("sent=1"))
        #expect(try f.received().first?.body.contains("vence em 02/11/2026") == true)
    }

    /// "Vence hoje" on a Sunday due date is never sent early, nor late: on Monday it is recorded
    /// skipped, with its reason, in `history`.
    @Test func aDueDateStepTheWindowHoldsAllDayIsRecordedSkipped() throws {
        let f = try Fixture(ladders: Self.ladders(upcoming: "[ { at: 0d, channel: email, template: due-today } ]"))
        try load(f, due: "2026-11-22", now: "2026-11-19T10:00:00-03:00")
        #expect(try run(f, at: "2026-11-22T10:00:00-03:00").stdout.contains("sent=0 retry=0 dead=0 held=1"))
        let monday = "2026-11-23T10:00:00-03:00"
        #expect(try f.lembra("preview", now: monday).stdout.contains("skip  reason=expired customer=c1 segment=forgetful step=upcoming.0d"))
        let run = try run(f, at: monday)
        #expect(run.stdout.contains("sent=1") && run.stdout.contains("skipped=1"), "forgetful.1d goes out; the due-date notice can't\n\(run)")
        let history = try f.lembra("history", "d1", now: monday).stdout
        #expect(history.contains("step=upcoming.0d channel=email segment=forgetful state=skipped tries=0 reason=expired"), "\(history)")
        #expect(try f.received().map { $0["subject"] ?? "" } == ["Um lembrete amigável sobre seu pagamento — Oficina Teste Ltda"])
    }

    /// The example config's ladders, as shipped, remind on the due date itself, in the
    /// customer's language, naming the supplier (CDC art. 42-A).
    @Test func theShippedLaddersSayVenceHojeOnTheDueDate() throws {
        let example = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("config/lembra.example.yaml"), encoding: .utf8)
        let lines = example.split(separator: "\n", omittingEmptySubsequences: false)
        // Its upcoming ladder: the fixture has an e-mail channel only, and the steps after the
        // due date (on sms and crm too) don't fall due here.
        let start = try #require(lines.firstIndex { $0.hasPrefix("ladders:") })
        let upcoming = try #require(lines[start...].first { $0.hasPrefix("  upcoming:") })
        let ladders = "ladders:\n" + upcoming
        #expect(ladders.contains("{ at: 0d, channel: email, template: due-today }"), "\(ladders)")
        let f = try Fixture(ladders: ladders)
        #expect(try f.lembra("import", "customers", f.csv("c.csv", "id,name,email,locale\nc1,Ana Souza,ana@example.com,pt-BR\nc2,Fern,fern@example.com,en\n"),
                             now: "2026-11-13T10:00:00-03:00").status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", "id,customer_id,amount,due_date\nd1,c1,189.90,2026-11-18\nd2,c2,310.00,2026-11-18\n"),
                             now: "2026-11-13T10:00:00-03:00").status == 0)
        #expect(try run(f, at: "2026-11-16T10:00:00-03:00").stdout.contains("sent=2"), "the -3d notices")
        #expect(try run(f, at: "2026-11-18T10:00:00-03:00").stdout.contains("sent=2"), "the due-date notices")
        let mails = try f.received().dropFirst(2)
        let pt = try #require(mails.first { $0["to"]?.contains("ana@") == true })
        #expect(pt["subject"] == "Lembrete: seu pagamento vence hoje — Oficina Teste Ltda")
        #expect(pt.body.contains("189,90, vence hoje (18/11/2026)"), "\(pt.body)")
        let en = try #require(mails.first { $0["to"]?.contains("fern@") == true })
        #expect(en["subject"] == "Reminder: your payment is due today — Oficina Teste Ltda")
        #expect(en.body.contains("due today (2026-11-18)"), "\(en.body)")
        for mail in [pt, en] {
            #expect(mail.body.contains("Oficina Teste Ltda — CPF/CNPJ 11.222.333/0001-81") && mail.body.contains("Rua Teste, 1 — São Paulo/SP"))
        }
    }

    /// The first try got a 451 (the server refused it: it never arrived) and waits to be
    /// retried; then the debt is renegotiated. The next tick sends the new terms, with a link
    /// signed over them, and nothing with the old ones.
    @Test(arguments: [("150.00", "2026-11-17", "150,00", "100,00"), ("100.00", "2026-11-20", "vence em 20/11/2026", "17/11/2026")])
    func aRenegotiatedDebtsPendingReminderGivesWayToTheNewTerms(amount: String, due: String, new: String, old: String) throws {
        let secrets = try TemporaryDirectory()
        let secret = try secrets.write("link-secret", "s3cr3t")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        let f = try Fixture(smtp: try SMTPTestServer(replyCode: 451, faultCount: 1),
                            paymentLink: #"payment_link: { kind: url, template: "https://pay.test/d/{{debt.id}}", signing_secret_file: "\#(secret.path)" }"#)
        try load(f, due: "2026-11-17", now: "2026-11-18T09:00:00-03:00")
        #expect(try run(f, at: "2026-11-18T10:00:00-03:00").stdout.contains("sent=0 retry=1"))

        let renegotiated = try f.lembra("import", "debts", f.csv("new.csv", "id,customer_id,amount,due_date\nd1,c1,\(amount),\(due)\n"),
                                        now: "2026-11-18T10:01:00-03:00")
        #expect(renegotiated.status == 0 && renegotiated.stdout.contains("0 new, 1 updated"), "\(renegotiated)")
        let history = try f.lembra("history", "d1", now: "2026-11-18T10:02:00-03:00").stdout
        #expect(history.contains("state=cancelled tries=1 reason=renegotiated"), "\(history)")

        #expect(try run(f, at: "2026-11-18T10:30:00-03:00").stdout.contains("sent=1"))
        let mails = try f.received()
        #expect(mails.count == 1, "one reminder, with the new terms")
        let body = try #require(mails.first?.body)
        #expect(body.contains(new) && !body.contains(old), "the new terms, nothing of the old ones\n\(body)")
        let cents = String(Int((Double(amount)! * 100).rounded()))
        #expect(try Self.linkVerifies(in: body, secret: "s3cr3t", debt: "d1", cents: cents, due: due), "\(body)")
    }

    /// Whether the body's payment link carries a signature over these terms (recomputed here,
    /// with Python's hmac, independently of Lembra's code).
    static func linkVerifies(in body: String, secret: String, debt: String, cents: String, due: String) throws -> Bool {
        guard let link = body.split(whereSeparator: \.isWhitespace).first(where: { $0.hasPrefix("https://pay.test/d/") }),
              let query = URLComponents(string: String(link))?.queryItems,
              let exp = query.first(where: { $0.name == "exp" })?.value, let sig = query.first(where: { $0.name == "sig" })?.value else { return false }
        let script = """
            import base64, hashlib, hmac, sys
            mac = hmac.new(sys.argv[1].encode(), sys.argv[2].encode(), hashlib.sha256).digest()
            print(base64.urlsafe_b64encode(mac).decode().rstrip("="))
            """
        let expected = try ShellCommand.run(RepositoryPaths.python, ["-c", script, secret, "\(debt)|\(cents)|\(due)|\(exp)"])
        return String(decoding: expected, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == sig.replacingOccurrences(of: "=", with: "")
    }
}
