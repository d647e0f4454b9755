import Foundation
import LembraCore
@testable import LembraDaemon
import Testing
import TestSupport

/// The shipped `friendly-sms` template with each kind of payment link a debt can have: its own
/// URL, a Pix code, or nothing. A Pix code must stand alone (no punctuation glued to it, or a
/// copied code fails its CRC), and a debt without any link must not leave a dangling ": .".
struct SMSTemplateTests {
    static let due = CalendarDate(year: 2026, month: 11, day: 17)!

    static func render(_ debt: Debt, locale: MessageLocale, config: LembraConfig) throws -> String {
        let m = PlannedMessage(kind: .reminder, customerID: "c1", segment: "forgetful", channel: "sms", template: "friendly-sms", handoff: false,
                               items: [.init(debt: debt, stepID: "forgetful.1d", day: 1)], superseded: [])
        let facts = try MessageFacts(m, customer: Customer(id: "c1", name: "Ana", phone: "+55 11 91234-5678"), config: config, locale: locale,
                                 today: due.adding(days: 1), now: ComposeOracleTests.now)
        return try #require(config.templates.render("friendly-sms", locale: locale, context: facts))
    }

    static func debt(url: String? = nil) -> Debt {
        Debt(id: "d1", customerID: "c1", amount: Money(cents: 18_990), dueDate: due, paymentURL: url)
    }

    @Test(arguments: [MessageLocale.ptBR, .en])
    func ownLinkIsShownAndThePixCodeLeftOut(locale: MessageLocale) throws {
        let dir = try TemporaryDirectory("lembra-sms")
        let text = try Self.render(Self.debt(url: "https://own.example/d1"), locale: locale, config: ComposeOracleTests.config(in: dir))
        #expect(text.contains(": https://own.example/d1 — "), "\(text)")
        #expect(!text.contains("000201"), "\(text)")
    }

    @Test(arguments: [MessageLocale.ptBR, .en])
    func pixCodeStandsAlone(locale: MessageLocale) throws {
        let dir = try TemporaryDirectory("lembra-sms")
        let config = try ComposeOracleTests.config(in: dir)
        let text = try Self.render(Self.debt(), locale: locale, config: config)
        let pix = try #require(PaymentLinks(config: config.paymentLink, now: ComposeOracleTests.now).pixCode(for: Self.debt()))
        #expect(text.contains(": \(pix) — "), "\(text)")
    }

    @Test(arguments: [MessageLocale.ptBR, .en])
    func noLinkLeavesNoDanglingPunctuation(locale: MessageLocale) throws {
        let dir = try TemporaryDirectory("lembra-sms")
        var config = try ComposeOracleTests.config(in: dir)
        config.paymentLink = nil
        let text = try Self.render(Self.debt(), locale: locale, config: config)
        #expect(!text.contains(": ."), "\(text)")
        #expect(text.contains(locale == .ptBR ? "venc. 17/11/2026. Se já pagou" : "due 2026-11-17. If already paid"), "\(text)")
    }
}
