import Foundation
import LembraCore
@testable import LembraDaemon
import Testing
import TestSupport

/// The messages a payment promise adds, planned and composed with the shipped templates: on a
/// text channel (an SMS webhook) the broken-promise reminder and the confirmation are short texts,
/// not e-mails with a `Subject:` line, and the confirmation's webhook says what it is.
struct PromiseMessageTests {
    /// `bench/compose.yaml` (e-mail, an `sms` webhook, a `crm` handoff, the shipped templates)
    /// with the promise page on.
    static func config(in dir: TemporaryDirectory) throws -> LembraConfig {
        let secret = try dir.write("promise-secret", "promise-secret-0123456789abcdef")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        _ = try ComposeOracleTests.config(in: dir)  // writes the webhook secret the channels read
        let yaml = try String(contentsOf: dir.path("lembra.yaml"), encoding: .utf8) + """

            ingress:
              payments_secret_file: secret
              public_url: https://pay.test/lembra
              promise: { max_days: 10, signing_secret_file: promise-secret }
            """
        var warnings: [ConfigProblem] = []
        return try ConfigLoader.load(dir.write("lembra.yaml", yaml).path, warnings: &warnings)
    }

    static let customer = Customer(id: "c1", name: "Ana", email: "ana@example.com", phone: "+55 11 91234-5678")
    /// Due Tuesday 10/11/2026: `forgetful.1d` (e-mail) on Wednesday, `forgetful.2d` (SMS) on Thursday.
    static let debt = Debt(id: "d1", customerID: "c1", amount: Money(cents: 18_990), dueDate: CalendarDate(year: 2026, month: 11, day: 10)!)

    /// Plans the customer at `now` with a promise from `step` through `through`, and composes the
    /// one message due.
    static func message(_ config: LembraConfig, at now: String, promiseFrom step: String, through: String,
                        ledger: [String]) throws -> (PlannedMessage, payload: [String: Any]) {
        var c = CustomerCase(customer: customer, debts: [debt],
                             ledger: Set(ledger.map { StepKey(debtID: "d1", dueDate: debt.dueDate, stepID: $0) }))
        c.promises["d1"] = DebtPromise(through: try #require(CalendarDate(iso: through)), stepID: step)
        let instant = try #require(Timestamp.parse(now, timeZone: config.timeZone))
        let plan = Planner(policy: config.policy).plan(c, now: instant)
        #expect(plan.messages.count == 1, "\(plan)")
        let m = try #require(plan.messages.first)
        let request = MessageComposer(config: config).compose(m, customer: customer, now: instant)
        #expect(request.skipReason == nil)
        return (m, try #require(try JSONSerialization.jsonObject(with: request.payload) as? [String: Any]))
    }

    @Test func aBrokenPromiseOnTheSMSStepIsAShortText() throws {
        let dir = try TemporaryDirectory("lembra-promise")
        let (m, body) = try Self.message(Self.config(in: dir), at: "2026-11-12T10:00:00-03:00", promiseFrom: "forgetful.1d",
                                         through: "2026-11-11", ledger: ["upcoming.-3d", "forgetful.1d", "promise-confirmed:forgetful.1d"])
        #expect(m.channel == "sms" && m.template == "broken-promise-sms" && m.kind == .reminder)
        let text = try #require(body["text"] as? String)
        #expect(text.hasPrefix("Oficina Exemplo Ltda (CPF/CNPJ 11.222.333/0001-81): Olá, Ana."), "\(text)")
        #expect(text.contains("já passou") && text.contains("R$ 189,90") && !text.contains("Subject:") && !text.contains("\n\n"), "\(text)")
        #expect(text.contains("Precisa de uma nova data? https://pay.test/lembra/promise?d=d1&due=2026-11-10&step=forgetful.2d&"), "\(text)")
        #expect(body["type"] as? String == "reminder.due")
    }

    @Test func theConfirmationOfAPromiseFromTheSMSStepIsAShortTextOfItsOwnType() throws {
        let dir = try TemporaryDirectory("lembra-promise")
        let (m, body) = try Self.message(Self.config(in: dir), at: "2026-11-12T10:05:00-03:00", promiseFrom: "forgetful.2d",
                                         through: "2026-11-16", ledger: ["upcoming.-3d", "forgetful.1d", "forgetful.2d"])
        #expect(m.channel == "sms" && m.template == "promise-confirmed-sms" && m.kind == .promiseConfirmed)
        #expect(body["type"] as? String == "payment.promise_confirmed")
        #expect(body["step"] as? String == "promise-confirmed:forgetful.2d")
        let text = try #require(body["text"] as? String)
        #expect(text.contains("Registramos a sua promessa de pagamento de R$ 189,90, venc. 10/11/2026.") && !text.contains("Subject:"), "\(text)")
        #expect(!text.contains("promise?"), "a confirmation carries no new promise link")
    }

    /// `check-config` wants each wording only where a step can use it: a config whose steps are
    /// all e-mail needs no short templates; one with a text channel needs them, named at `promise:`.
    @Test func theShortTemplatesAreRequiredWithATextChannel() throws {
        let f = try PromiseConfigTests.fixture()
        let promise = "ingress: { payments_secret_file: payments-webhook-secret, public_url: https://p.test, "
            + "promise: { max_days: 5, signing_secret_file: promise-secret } }"
        #expect(f.problems(IngressConfigTests.config(promise)) == [], "e-mail only")
        let withSMS = IngressConfigTests.config(promise)
            .replacingOccurrences(of: "chronic: [ { at: 1d, channel: email, template: friendly } ]",
                                  with: "chronic: [ { at: 1d, channel: email, template: friendly }, { at: 2d, channel: sms, template: friendly } ]")
            .replacingOccurrences(of: "channels:\n", with: "channels:\n  sms: { type: webhook, url: \"http://127.0.0.1:9/hook\", secret_file: payments-webhook-secret }\n")
        let problems = f.problems(withSMS)
        #expect(problems.contains { $0.contains(": ingress.promise: no file ") && $0.hasSuffix("templates/pt-BR/broken-promise-sms.mustache") }, "\(problems)")
        #expect(problems.contains { $0.contains(": ingress.promise: no file ") && $0.hasSuffix("templates/pt-BR/promise-confirmed-sms.mustache") }, "\(problems)")
        try f.dir.write("templates/pt-BR/broken-promise-sms.mustache", "{{business.name}}: {{total}}\n")
        try f.dir.write("templates/pt-BR/promise-confirmed-sms.mustache", "{{business.name}}: {{total}}\n")
        #expect(f.problems(withSMS) == [])
    }
}
