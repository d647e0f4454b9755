import Foundation
import LembraCore

/// The variables a template sees (documented in the README and `config/templates`).
enum MessageContext {
    static func make(_ facts: MessageFacts) -> [String: Any] {
        let debts: [[String: Any]] = facts.debts.map { d in
            var fields: [String: Any] = [
                "id": d.debt.id, "amount": d.amount, "amount_cents": d.amountCents, "due_date": d.dueDate, "days_overdue": d.daysOverdue,
            ]
            // Absent rather than empty, so `{{#pix_code}}...{{/pix_code}}` sections skip cleanly.
            fields["description"] = d.debt.description.isEmpty ? nil : d.debt.description
            fields["payment_link"] = d.paymentLink
            fields["pix_code"] = d.pixCode
            return fields
        }
        let b = facts.business
        return [
            "customer": ["id": facts.customer.id, "name": facts.customer.name],
            "debts": debts, "count": debts.count, "total": facts.total,
            "business": ["name": b.name, "document": b.document, "address": b.address, "reply_to": b.replyTo ?? ""],
            "segment": facts.message.segment, "step": facts.step, "today": facts.today,
        ]
    }
}
