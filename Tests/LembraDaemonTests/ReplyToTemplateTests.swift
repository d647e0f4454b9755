import Foundation
import LembraCore
@testable import LembraDaemon
import Testing
import TestSupport

/// `business.reply_to` is optional in the config: the shipped pre-due notice offers it only when
/// set, instead of "ou escreva para ." with nothing to write to.
struct ReplyToTemplateTests {
    static func renderUpcoming(replyTo: String?, in dir: TemporaryDirectory) throws -> String {
        var config = try ComposeOracleTests.config(in: dir)
        config.business.replyTo = replyTo
        let due = CalendarDate(year: 2026, month: 11, day: 20)!
        let debt = Debt(id: "d1", customerID: "c1", amount: Money(cents: 18_990), dueDate: due)
        let m = PlannedMessage(kind: .reminder, customerID: "c1", segment: "forgetful", channel: "email", template: "upcoming", handoff: false,
                               items: [.init(debt: debt, stepID: "upcoming.-3d", day: -3)], superseded: [])
        let facts = try MessageFacts(m, customer: Customer(id: "c1", name: "Ana", email: "ana@example.com"), config: config, locale: .ptBR,
                                     today: due.adding(days: -3), now: ComposeOracleTests.now)
        return try #require(config.templates.render("upcoming", locale: .ptBR, context: facts))
    }

    @Test func withoutAReplyToTheNoticeDoesNotOfferOne() throws {
        let dir = try TemporaryDirectory("lembra-reply-to")
        let text = try Self.renderUpcoming(replyTo: nil, in: dir)
        #expect(text.contains("Dúvidas? Responda a este e-mail."), "\(text)")
        #expect(!text.contains("escreva para"), "\(text)")
    }

    @Test func aReplyToIsOffered() throws {
        let dir = try TemporaryDirectory("lembra-reply-to")
        let text = try Self.renderUpcoming(replyTo: "financeiro@example.com", in: dir)
        #expect(text.contains("ou escreva para financeiro@example.com."), "\(text)")
    }
}
