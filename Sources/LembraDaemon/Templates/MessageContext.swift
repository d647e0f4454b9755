import Foundation
import LembraCore

/// The variables a template sees (documented in the README and `config/templates`).
enum MessageContext {
    static func make(_ m: PlannedMessage, customer: Customer, config: LembraConfig, locale: MessageLocale, today: CalendarDate) -> [String: Any] {
        let debts: [[String: Any]] = m.items.map { item in
            let d = item.debt
            return [
                "id": d.id, "description": d.description,
                "amount": d.amount.formatted(currency: d.currency, locale: locale), "amount_cents": String(d.amount.cents),
                "due_date": d.dueDate.formatted(locale: locale), "days_overdue": max(0, item.day),
                "payment_link": PaymentLinks.link(for: d, config: config.paymentLink) ?? "", "pix_code": "",
            ]
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

/// The payment link in a reminder: the debt's own `payment_url` wins over the configured one.
enum PaymentLinks {
    static func link(for debt: Debt, config: PaymentLinkConfig?) -> String? {
        if let own = debt.paymentURL { return own }
        switch config {
        case .url(let template)?:
            let id = debt.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? debt.id
            return template.replacingOccurrences(of: "{{debt.id}}", with: id)
        case nil: return nil
        }
    }
}
