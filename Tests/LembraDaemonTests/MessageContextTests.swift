import Foundation
import LembraCore
@testable import LembraDaemon
import LembraDelivery
import LembraIngress
import Mustache
import Testing
import TestSupport

/// The template context and check-config's list of names (`TemplateChecks.knownVariables`)
/// agree: every name check-config accepts resolves, and every name the context answers is one
/// check-config accepts.
struct MessageContextTests {
    static let debtNames: Set = ["id", "description", "amount", "amount_cents", "due_date", "days_overdue", "payment_link", "pix_code",
                                 "promise_link", "amount_due_today", "amount_due_today_cents", "late_fee_fine", "late_fee_interest"]

    /// A message whose every optional field is set: an own payment URL and a Pix code, a description, a promise link.
    static func facts() throws -> (MessageFacts, TemporaryDirectory) {
        let dir = try TemporaryDirectory("lembra-context")
        var config = try ComposeOracleTests.config(in: dir)
        var ingress = IngressSettings(payments: try StandardWebhooks(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        ingress.promise = PromiseSettings(publicURL: "https://pay.example/lembra", key: Data("promise-secret-0123456789".utf8), maxDays: 10,
                                          timeZone: config.timeZone, locale: .ptBR)
        config.ingress = ingress
        let debt = Debt(id: "d1", customerID: "c1", amount: Money(cents: 18_990), dueDate: CalendarDate(year: 2026, month: 11, day: 17)!,
                        description: "Revisão", paymentURL: "https://own.example/d1")
        let m = PlannedMessage(kind: .reminder, customerID: "c1", segment: "forgetful", channel: "email", template: "friendly", handoff: false,
                               items: [.init(debt: debt, stepID: "forgetful.1d", day: 1)], superseded: [])
        let facts = try MessageFacts(m, customer: Customer(id: "c1", name: "Ana"), config: config, locale: .ptBR,
                                 today: CalendarDate(year: 2026, month: 11, day: 18)!, now: ComposeOracleTests.now)
        return (facts, dir)
    }

    /// `a.b` from the root; bare debt names from a debt.
    static func resolve(_ name: String, _ facts: MessageFacts) -> Any? {
        if debtNames.contains(name) { return MessageContext.Scope(.debt(facts.debts[0])).child(named: name) }
        var object: Any? = MessageContext.Scope(.root(facts))
        for part in name.split(separator: ".") { object = (object as? MustacheParent)?.child(named: String(part)) }
        return object
    }

    @Test func everyNameCheckConfigAcceptsResolves() throws {
        let (facts, _) = try Self.facts()
        for name in TemplateChecks.knownVariables where name != "." {
            #expect(Self.resolve(name, facts) != nil, "\(name)")
        }
    }

    @Test func everyNameTheContextAnswersIsOneCheckConfigAccepts() throws {
        let (facts, _) = try Self.facts()
        let parts = Set(TemplateChecks.knownVariables.flatMap { $0.split(separator: ".").map(String.init) })
            .union(["email", "phone", "document", "currency", "debt", "paid_at", "locale", "timezone", "customer_id", "payment_url"])
        let scopes: [(String, MustacheParent)] = [
            ("", MessageContext.Scope(.root(facts))), ("customer.", MessageContext.Scope(.customer(facts))),
            ("business.", MessageContext.Scope(.business(facts))), ("", MessageContext.Scope(.debt(facts.debts[0]))),
        ]
        for (prefix, scope) in scopes {
            for part in parts {
                guard let value = scope.child(named: part) else { continue }
                // `customer` and `business` are accepted only as the first part of their names.
                let known = value is MessageContext.Text || value is Bool || value is [MessageContext.Scope] ? TemplateChecks.knownVariables.contains(prefix + part)
                    : TemplateChecks.knownVariables.contains { $0.hasPrefix(prefix + part + ".") }
                #expect(known, "\(prefix)\(part)")
            }
        }
    }

    /// Absent, not empty: a section over a missing value renders nothing.
    @Test func missingValuesAreAbsent() throws {
        let (facts, _) = try Self.facts()
        let bare = try MessageFacts.DebtFacts(.init(debt: Debt(id: "d2", customerID: "c1", amount: Money(cents: 5), dueDate: CalendarDate(year: 2026, month: 1, day: 1)!,
                                                           currency: "USD"), stepID: "s", day: -2),
                                          locale: .en, links: PaymentLinks(config: nil, now: ComposeOracleTests.now), lateFees: nil,
                                          today: CalendarDate(year: 2026, month: 1, day: 1)!, promise: nil, now: ComposeOracleTests.now)
        for name in ["description", "payment_link", "pix_code", "promise_link"] {
            #expect(MessageContext.Scope(.debt(bare)).child(named: name) == nil, "\(name)")
        }
        #expect((MessageContext.Scope(.debt(bare)).child(named: "days_overdue") as? MustacheCustomRenderable)?.renderText == "0")
        let template = try TemplateSet.parse("{{#debts}}[{{#pix_code}}P{{/pix_code}}{{^payment_link}}no link{{/payment_link}}]{{/debts}} {{count}} {{business.reply_to}}")
        #expect(template.render(MessageContext.Scope(.root(facts))) == "[P] 1 financeiro@oficina-exemplo.com.br")
    }
}
