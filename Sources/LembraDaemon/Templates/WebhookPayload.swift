import Foundation
import LembraCore

/// The JSON body of a webhook (documented in the README): everything a gateway or CRM needs to
/// act on the reminder, plus the rendered text. Amounts are strings of cents (and formatted), so
/// no JSON reader turns money into floating point.
struct WebhookPayload: Encodable {
    struct Customer: Encodable { var id: String, name: String, email: String?, phone: String?, locale: String }
    struct Debt: Encodable {
        var id: String, description: String, amount_cents: String, amount: String, due_date: String
        var days_overdue: Int, payment_link: String?, pix_code: String?
    }
    struct Business: Encodable { var name: String, document: String, address: String }

    var type: String
    var attempt_id: String
    var channel: String
    var handoff: Bool
    var segment: String
    var step: String
    var customer: Customer
    var debts: [Debt]
    var total_cents: String
    var total: String
    var business: Business
    var text: String

    static func make(_ facts: MessageFacts, attemptID: String, text: String) -> Data {
        let m = facts.message, c = facts.customer, b = facts.business
        let payload = WebhookPayload(
            type: m.kind == .thanks ? "payment.thanks" : "reminder.due", attempt_id: attemptID, channel: m.channel,
            handoff: m.handoff, segment: m.segment, step: facts.step,
            customer: Customer(id: c.id, name: c.name, email: c.email, phone: c.phone, locale: facts.locale.rawValue),
            debts: facts.debts.map { d in
                Debt(id: d.debt.id, description: d.debt.description, amount_cents: d.amountCents, amount: d.amount,
                     due_date: d.debt.dueDate.iso, days_overdue: d.daysOverdue, payment_link: d.paymentLink, pix_code: d.pixCode)
            },
            total_cents: facts.totalCents, total: facts.total,
            business: Business(name: b.name, document: b.document, address: b.address),
            text: text)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(payload)) ?? Data()
    }
}
