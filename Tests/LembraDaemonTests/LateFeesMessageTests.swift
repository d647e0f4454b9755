import Foundation
import LembraCore
@testable import LembraDaemon
import LembraStore
import Testing
import TestSupport

/// What a customer sees with `late_fees` on: both amounts in the shipped templates (pt-BR and
/// en), the amount due today in the Pix code, the signed link and the webhook body, as of the
/// customer's calendar day at composition; and nothing new with it off or before it applies.
struct LateFeesMessageTests {
    static let fees = LateFees(fineBasisPoints: 200, interestBasisPointsPerMonth: 100, graceDays: 0)
    /// 2026-11-18 10:00 in São Paulo: three days after the due date below.
    static let now = ComposeOracleTests.now
    static let due = CalendarDate(iso: "2026-11-15")!

    static func message(template: String = "friendly", channel: String = "email", kind: PlannedMessage.Kind = .reminder,
                        cents: [Int64] = [10_000]) -> PlannedMessage {
        let items = cents.enumerated().map { i, c in
            PlannedMessage.Item(debt: Debt(id: "d\(i + 1)", customerID: "c1", amount: Money(cents: c), dueDate: due, description: "Revisão"),
                                stepID: "forgetful.1d", day: 3)
        }
        return PlannedMessage(kind: kind, customerID: "c1", segment: "forgetful", channel: channel, template: template, handoff: false,
                              items: items, superseded: [])
    }

    static func customer(_ locale: MessageLocale = .ptBR, zone: String? = nil) -> Customer {
        Customer(id: "c1", name: "Ana", email: "ana@example.com", phone: "+55 11 91234-5678", timezone: zone, locale: locale)
    }

    /// The compose benchmark's config (the shipped templates, a Pix link), with late fees as given.
    static func config(_ lateFees: LateFees?, in dir: TemporaryDirectory) throws -> LembraConfig {
        var c = try ComposeOracleTests.config(in: dir)
        c.lateFees = lateFees
        return c
    }

    static func body(_ r: ClaimRequest) -> String {
        RenderedEmail.decode(r.payload)?.body ?? String(decoding: r.payload, as: UTF8.self)
    }

    @Test func theShippedTemplatesShowBothAmountsInPortuguese() throws {
        let dir = try TemporaryDirectory("lembra-fees")
        let composer = MessageComposer(config: try Self.config(Self.fees, in: dir))
        let friendly = Self.body(composer.compose(Self.message(), customer: Self.customer(), now: Self.now))
        #expect(friendly.contains("Revisão — R$ 100,00, venceu em 15/11/2026\n"
                                  + "    Valor original R$ 100,00; com multa (R$ 2,00) e juros (R$ 0,10) até hoje, 18/11/2026: R$ 102,10\n"), "\(friendly)")
        for template in ["second-notice", "offer", "firm"] {
            let text = Self.body(composer.compose(Self.message(template: template, cents: [10_000, 50_000]), customer: Self.customer(), now: Self.now))
            #expect(text.contains("Valor original R$ 500,00; com multa (R$ 10,00) e juros (R$ 0,50) até hoje, 18/11/2026: R$ 510,50"), "\(template)")
            #expect(text.contains(": R$ 600,00; com multa e juros até hoje: R$ 612,60\n"), "\(template): \(text)")
        }
        let sms = Self.body(composer.compose(Self.message(template: "friendly-sms", channel: "sms"), customer: Self.customer(), now: Self.now))
        #expect(sms.contains("Lembrete do pagamento de R$ 100,00 (R$ 102,10 com multa e juros até hoje), venc. 15/11/2026"), "\(sms)")
        let task = Self.body(composer.compose(Self.message(template: "call-task", channel: "crm"), customer: Self.customer(), now: Self.now))
        #expect(task.contains("Dívida d1: R$ 100,00 (R$ 102,10 com multa e juros hoje), vencida há 3 dia(s)."), "\(task)")
    }

    @Test func theShippedTemplatesShowBothAmountsInEnglish() throws {
        let dir = try TemporaryDirectory("lembra-fees")
        let composer = MessageComposer(config: try Self.config(Self.fees, in: dir))
        let friendly = Self.body(composer.compose(Self.message(), customer: Self.customer(.en), now: Self.now))
        #expect(friendly.contains("Revisão — BRL 100.00, due 2026-11-15\n"
                                  + "    Original amount BRL 100.00; with the late fee (BRL 2.00) and interest (BRL 0.10) as of today, 2026-11-18: BRL 102.10\n"),
                "\(friendly)")
        let firm = Self.body(composer.compose(Self.message(template: "firm", cents: [10_000, 50_000]), customer: Self.customer(.en), now: Self.now))
        #expect(firm.contains("Total outstanding: BRL 600.00; with late fee and interest as of today: BRL 612.60\n"), "\(firm)")
    }

    /// Off, before the due date, within the grace, and in a thank-you: the templates read as
    /// before, and the Pix code asks for the open amount.
    @Test func withoutFeesTodayTheMessageReadsAsBefore() throws {
        let dir = try TemporaryDirectory("lembra-fees")
        let off = MessageComposer(config: try Self.config(nil, in: dir))
        let grace = MessageComposer(config: try Self.config(LateFees(fineBasisPoints: 200, interestBasisPointsPerMonth: 100, graceDays: 3), in: dir))
        let on = MessageComposer(config: try Self.config(Self.fees, in: dir))
        for (composer, templates) in [(off, ["friendly", "firm", "thanks"]), (grace, ["friendly", "firm", "thanks"]), (on, ["thanks"])] {
            for template in templates {
                let m = Self.message(template: template, kind: template == "thanks" ? .thanks : .reminder)
                let text = Self.body(composer.compose(m, customer: Self.customer(), now: Self.now))
                #expect(text == Self.body(off.compose(m, customer: Self.customer(), now: Self.now)))
                #expect(!text.contains("multa") && !text.contains("102,10"), "\(text)")
                #expect(template == "thanks" || text.contains("5406100.00"), "the Pix code asks for the open amount: \(text)")
            }
        }
    }

    /// The Pix code carries the amount due today, with a CRC over it (and equals the code made
    /// for that amount directly).
    @Test func thePixCodeAsksForTheAmountDueToday() throws {
        let dir = try TemporaryDirectory("lembra-fees")
        let config = try Self.config(Self.fees, in: dir)
        let text = Self.body(MessageComposer(config: config).compose(Self.message(), customer: Self.customer(), now: Self.now))
        guard case .pix(let merchant)? = config.paymentLink else { Issue.record("no Pix config"); return }
        let expected = try PixBRCode(merchant: merchant, amount: Money(cents: 10_210), txid: "d1").payload
        #expect(expected.contains("5406102.10"))
        #expect(text.contains("Pix copia e cola: \(expected)\n"), "\(text)")
    }

    /// The link signs the amount due today, and says it where the template asks for it.
    @Test func theSignedLinkCarriesTheAmountDueToday() throws {
        let dir = try TemporaryDirectory("lembra-fees")
        var config = try Self.config(Self.fees, in: dir)
        let template = try SignedLink.Template("https://pay.test/d/{{debt.id}}?v={{debt.amount_cents}}")
        config.paymentLink = .url(template: template, secret: Data("s3cr3t".utf8), expiresIn: 86_400)
        let text = Self.body(MessageComposer(config: config).compose(Self.message(), customer: Self.customer(), now: Self.now))
        let line = try #require(text.split(separator: "\n").first { $0.contains("https://pay.test/") })
        let link = String(line.split(separator: " ").last ?? "")
        #expect(link.hasPrefix("https://pay.test/d/d1?v=10210&exp="), "\(link)")
        var billed = Self.message().items[0].debt
        billed.amount = Money(cents: 10_210)
        let links = PaymentLinks(config: config.paymentLink, now: Self.now)
        #expect(link == links.url(for: billed))
        #expect(link != links.url(for: Self.message().items[0].debt))
    }

    /// Days overdue are the customer's calendar days: at 01:00 on the 19th in Tokyo it is still
    /// the 18th in São Paulo, so the customer in Tokyo owes one more day of interest.
    @Test func theDayIsTheCustomersDay() throws {
        let dir = try TemporaryDirectory("lembra-fees")
        let composer = MessageComposer(config: try Self.config(Self.fees, in: dir))
        let now = Timestamp.parse("2026-11-18T16:00:00Z", timeZone: TimeZone(identifier: "UTC")!)!
        let paulo = Self.body(composer.compose(Self.message(cents: [300_000]), customer: Self.customer(), now: now))
        let tokyo = Self.body(composer.compose(Self.message(cents: [300_000]), customer: Self.customer(zone: "Asia/Tokyo"), now: now))
        #expect(paulo.contains("com multa (R$ 60,00) e juros (R$ 3,00) até hoje, 18/11/2026: R$ 3.063,00"), "\(paulo)")
        #expect(tokyo.contains("com multa (R$ 60,00) e juros (R$ 4,00) até hoje, 19/11/2026: R$ 3.064,00"), "\(tokyo)")
    }

    /// The webhook body gains the day's amounts with late fees on (cents as strings, like the
    /// other amounts); without them it is unchanged (`ComposeOracleTests` checks the bytes).
    @Test func theWebhookBodyCarriesTheAmountDueToday() throws {
        let dir = try TemporaryDirectory("lembra-fees")
        let request = MessageComposer(config: try Self.config(Self.fees, in: dir))
            .compose(Self.message(template: "friendly-sms", channel: "sms", cents: [10_000, 50_000]), customer: Self.customer(), now: Self.now)
        let body = try #require(try JSONSerialization.jsonObject(with: request.payload) as? [String: Any])
        let debts = try #require(body["debts"] as? [[String: Any]])
        #expect(debts[0]["amount_cents"] as? String == "10000")
        #expect(debts[0]["amount_due_today_cents"] as? String == "10210")
        #expect(debts[0]["amount_due_today"] as? String == "R$ 102,10")
        #expect(debts[0]["late_fee_fine_cents"] as? String == "200")
        #expect(debts[0]["late_fee_interest_cents"] as? String == "10")
        #expect(debts[1]["amount_due_today_cents"] as? String == "51050")
        #expect(body["total_cents"] as? String == "60000")
        #expect(body["total_due_today_cents"] as? String == "61260")
        #expect(body["total_due_today"] as? String == "R$ 612,60")
        let off = MessageComposer(config: try Self.config(nil, in: dir))
            .compose(Self.message(template: "friendly-sms", channel: "sms"), customer: Self.customer(), now: Self.now)
        #expect(!String(decoding: off.payload, as: UTF8.self).contains("due_today"))
    }

    /// Debts whose open total fits in Int64 cents but whose total with fees does not (amounts
    /// only an older version could store): the message is not sent with a wrong total, and
    /// nothing traps; the largest amount an import takes, a century late, composes as usual.
    @Test func aTotalWithFeesPastInt64IsNotSentAndNeverTraps() throws {
        let dir = try TemporaryDirectory("lembra-fees")
        let composer = MessageComposer(config: try Self.config(Self.fees, in: dir))
        let huge = Self.message(template: "friendly-sms", channel: "sms", cents: [4_600_000_000_000_000_000, 4_600_000_000_000_000_000])
        #expect(composer.compose(huge, customer: Self.customer(), now: Self.now).skipReason == "amount_overflow")
        var old = Self.message(template: "friendly-sms", channel: "sms", cents: [Money.maxAmount.cents])
        old.items[0].debt.dueDate = CalendarDate(iso: "1926-11-18")!
        let request = composer.compose(old, customer: Self.customer(), now: Self.now)
        let body = try #require(try JSONSerialization.jsonObject(with: request.payload) as? [String: Any])
        let expected = try Self.fees.charge(open: Money.maxAmount, dueDate: old.items[0].debt.dueDate, today: CalendarDate(iso: "2026-11-18")!)
        #expect(body["total_due_today_cents"] as? String == String(expected.amountDueToday.cents))
    }

    /// A template may use every new name; check-config knows them.
    @Test func checkConfigKnowsTheNewNames() throws {
        let f = try ConfigFixture()
        try f.dir.write("templates/pt-BR/friendly.mustache", """
            Subject: Olá

            {{#late_fees}}{{total_due_today}}{{/late_fees}}{{#debts}}{{amount_due_today}} {{amount_due_today_cents}} \
            {{late_fee_fine}} {{late_fee_interest}}{{^late_fees}}sem encargos{{/late_fees}}{{/debts}}
            """)
        let problems = f.problems(LateFeesConfigTests.config("late_fees: { fine: 2%, interest_per_month: 1% }"))
        #expect(problems.isEmpty, "\(problems)")
    }
}
