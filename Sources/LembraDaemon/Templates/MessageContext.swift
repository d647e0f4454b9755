import Foundation
import LembraCore

/// The variables a template sees (documented in the README and `config/templates`).
enum MessageContext {
    /// `now` is the claim time: signed links expire `expires_in` after it, so a retry of the
    /// same attempt carries the same link.
    static func make(_ m: PlannedMessage, customer: Customer, config: LembraConfig, locale: MessageLocale, today: CalendarDate, now: Date) -> [String: Any] {
        let links = PaymentLinks(config: config.paymentLink, now: now)
        let debts: [[String: Any]] = m.items.map { item in
            let d = item.debt
            var fields: [String: Any] = [
                "id": d.id,
                "amount": d.amount.formatted(currency: d.currency, locale: locale), "amount_cents": String(d.amount.cents),
                "due_date": d.dueDate.formatted(locale: locale), "days_overdue": max(0, item.day),
            ]
            // Absent rather than empty, so `{{#pix_code}}...{{/pix_code}}` sections skip cleanly.
            fields["description"] = d.description.isEmpty ? nil : d.description
            fields["payment_link"] = links.url(for: d)
            fields["pix_code"] = links.pixCode(for: d)
            return fields
        }
        let total = m.items.reduce(Money.zero) { $0 + $1.debt.amount }
        let b = config.business
        return [
            "customer": ["id": customer.id, "name": customer.name],
            "debts": debts, "count": debts.count,
            "total": total.formatted(currency: m.items.first?.debt.currency ?? config.currency, locale: locale),
            "business": ["name": b.name, "document": b.document, "address": b.address, "reply_to": b.replyTo ?? ""],
            "segment": m.segment, "step": m.stepID, "today": today.formatted(locale: locale),
        ]
    }
}

