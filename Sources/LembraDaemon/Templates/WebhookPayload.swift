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

    static func make(_ m: PlannedMessage, attemptID: String, customer c: LembraCore.Customer, config: LembraConfig,
                     locale: MessageLocale, text: String, now: Date) -> Data {
        let links = PaymentLinks(config: config.paymentLink, now: now)
        let total = m.items.reduce(Money.zero) { $0 + $1.debt.amount }
        let currency = m.items.first?.debt.currency ?? config.currency
        let payload = WebhookPayload(
            type: m.kind == .thanks ? "payment.thanks" : "reminder.due", attempt_id: attemptID, channel: m.channel,
            handoff: m.handoff, segment: m.segment, step: m.stepID,
            customer: Customer(id: c.id, name: c.name, email: c.email, phone: c.phone, locale: locale.rawValue),
            debts: m.items.map { item in
                let d = item.debt
                return Debt(id: d.id, description: d.description, amount_cents: String(d.amount.cents),
                            amount: d.amount.formatted(currency: d.currency, locale: locale), due_date: d.dueDate.iso,
                            days_overdue: max(0, item.day), payment_link: links.url(for: d), pix_code: links.pixCode(for: d))
            },
            total_cents: String(total.cents), total: total.formatted(currency: currency, locale: locale),
            business: Business(name: config.business.name, document: config.business.document, address: config.business.address),
            text: text)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(payload)) ?? Data()
    }
}
