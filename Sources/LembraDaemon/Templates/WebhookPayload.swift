import Foundation
import LembraCore

/// The JSON body of a webhook (documented in the README): everything a gateway or CRM needs to
/// act on the reminder, plus the rendered text. Amounts are strings of cents (and formatted), so
/// no JSON reader turns money into floating point.
///
/// The bytes are those Foundation's JSONEncoder wrote for this body before (`.sortedKeys`,
/// `.withoutEscapingSlashes`; a nil `email`, `phone`, `payment_link`, `pix_code` or `promise_link` left out):
/// keys below are written in that order, ascending by UTF-8 bytes. With `late_fees` on, a
/// reminder's debts also carry `amount_due_today`(`_cents`), `late_fee_fine_cents` and
/// `late_fee_interest_cents`, and the body `total_due_today`(`_cents`); without, the body is
/// byte for byte what it was.
enum WebhookPayload {
    /// The fields below that identify the customer (LGPD): a receiver's error reply that quotes
    /// them has them cut out before it is logged or shown by `status`.
    static let personalFields = ["customer.name", "customer.email", "customer.phone", "customer.phone_e164"]

    static func make(_ facts: MessageFacts, attemptID: String, text: String) -> Data {
        let m = facts.message, c = facts.customer, b = facts.business
        var w = JSONWriter(escapingSlashes: false, sortedKeys: true, capacity: text.utf8.count + 512 + 384 * facts.debts.count)
        w.beginObject()
        w.field("attempt_id", attemptID)
        w.key("business")
        w.beginObject()
        w.field("address", b.address)
        w.field("document", b.document)
        w.field("name", b.name)
        w.endObject()
        w.field("channel", m.channel)
        w.key("customer")
        w.beginObject()
        w.field("email", c.email)
        w.field("id", c.id)
        w.field("locale", facts.locale.rawValue)
        w.field("name", c.name)
        w.field("phone", c.phone)
        // The phone as written is kept for display; gateways dial this one (absent when the
        // stored phone has no E.164 form, as one imported by an older version may not).
        w.field("phone_e164", c.phone.flatMap(PhoneNumber.e164))
        w.endObject()
        w.key("debts")
        w.beginArray()
        for d in facts.debts {
            w.beginObject()
            w.field("amount", d.amount)
            w.field("amount_cents", d.amountCents)
            if let charge = d.charge {
                w.field("amount_due_today", d.amountDueToday)
                w.field("amount_due_today_cents", String(charge.amountDueToday.cents))
            }
            w.field("days_overdue", d.daysOverdue)
            w.field("description", d.debt.description)
            w.field("due_date", d.debt.dueDate.iso)
            w.field("id", d.debt.id)
            if let charge = d.charge {
                w.field("late_fee_fine_cents", String(charge.fine.cents))
                w.field("late_fee_interest_cents", String(charge.interest.cents))
            }
            w.field("payment_link", d.paymentLink)
            w.field("pix_code", d.pixCode)
            w.field("promise_link", d.promiseLink)
            w.endObject()
        }
        w.endArray()
        w.field("handoff", m.handoff)
        w.field("segment", m.segment)
        w.field("step", facts.step)
        w.field("text", text)
        w.field("total", facts.total)
        w.field("total_cents", facts.totalCents)
        if facts.hasLateFeeTerms {
            w.field("total_due_today", facts.totalDueToday)
            w.field("total_due_today_cents", facts.totalDueTodayCents)
        }
        w.field("type", eventType(m.kind))
        w.endObject()
        return w.data
    }

    /// The body's `type`: what the message is, for the receiver to route (README "Webhooks").
    static func eventType(_ kind: PlannedMessage.Kind) -> String {
        switch kind {
        case .reminder: "reminder.due"
        case .thanks: "payment.thanks"
        case .promiseConfirmed: "payment.promise_confirmed"
        }
    }
}
