import Foundation
import LembraCore
import Mustache

/// The variables a template sees (documented in the README and `config/templates`; check-config
/// accepts the names in `TemplateChecks.knownVariables`), read from the message's facts.
///
/// Mustache looks every name up through `MustacheParent.child(named:)`, casting each object on
/// its way. These small structs (one reference each, so they fit in an `Any` without a box)
/// answer with a `switch` where a `[String: Any]` tree once hashed, and their values are `Text`,
/// which Mustache renders without `String(describing:)`. Same names, same output (the tests
/// compare every shipped template with the dictionary tree). `description`, `payment_link` and
/// `pix_code` are absent (nil) rather than empty, so `{{#pix_code}}...{{/pix_code}}` sections
/// skip cleanly. A name a scope doesn't know is nil, so the lookup goes on to the enclosing scope
/// (`{{business.name}}` inside `{{#debts}}`).
enum MessageContext {
    /// The root: `customer`, `debts`, `count`, `total`, `total_due_today`, `late_fees`,
    /// `business`, `segment`, `step`, `today`.
    struct Root: MustacheParent {
        let facts: MessageFacts

        func child(named name: String) -> Any? {
            switch name {
            case "customer": Customer(facts: facts)
            case "debts": facts.debts.map(Debt.init)
            case "count": Text(String(facts.debts.count))
            case "total": Text(facts.total)
            case "total_due_today": Text(facts.totalDueToday)
            case "late_fees": facts.debts.contains { $0.charge?.hasFees == true }
            case "business": Business(facts: facts)
            case "segment": Text(facts.message.segment)
            case "step": Text(facts.step)
            case "today": Text(facts.today)
            default: nil
            }
        }
    }

    /// `customer.id`, `customer.name`.
    struct Customer: MustacheParent {
        let facts: MessageFacts

        func child(named name: String) -> Any? {
            switch name {
            case "id": Text(facts.customer.id)
            case "name": Text(facts.customer.name)
            default: nil
            }
        }
    }

    /// `business.name`, `business.document`, `business.address`, `business.reply_to` (absent when
    /// unset, so a template can wrap it in a section: an empty string would count as set).
    struct Business: MustacheParent {
        let facts: MessageFacts

        func child(named name: String) -> Any? {
            switch name {
            case "name": Text(facts.business.name)
            case "document": Text(facts.business.document)
            case "address": Text(facts.business.address)
            case "reply_to": facts.business.replyTo.map { Text($0) }
            default: nil
            }
        }
    }

    /// Each element of `debts`: `id`, `description`, `amount`, `amount_cents`, `due_date`,
    /// `days_overdue`, `payment_link`, `pix_code`, `promise_link`, and the late fees of the message's day:
    /// `amount_due_today` (and `_cents`), `late_fee_fine`, `late_fee_interest` (zero amounts without
    /// them) and `late_fees`, true when they add something to this debt. `late_fees` is a Bool
    /// here, never nil, so a debt without fees doesn't fall back to the root's answer.
    struct Debt: MustacheParent {
        let facts: MessageFacts.DebtFacts

        func child(named name: String) -> Any? {
            switch name {
            case "id": Text(facts.debt.id)
            case "description": facts.debt.description.isEmpty ? nil : Text(facts.debt.description)
            case "amount": Text(facts.amount)
            case "amount_cents": Text(facts.amountCents)
            case "due_date": Text(facts.dueDate)
            case "days_overdue": Text(String(facts.daysOverdue))
            case "payment_link": facts.paymentLink.map(Text.init)
            case "pix_code": facts.pixCode.map(Text.init)
            case "promise_link": facts.promiseLink.map(Text.init)
            case "amount_due_today": Text(facts.amountDueToday)
            case "amount_due_today_cents": Text(String(facts.dueTodayMoney.cents))
            case "late_fee_fine": Text(facts.formatted(facts.charge?.fine ?? .zero))
            case "late_fee_interest": Text(facts.formatted(facts.charge?.interest ?? .zero))
            case "late_fees": facts.charge?.hasFees == true
            default: nil
            }
        }
    }

    /// A value: rendered as is (what `String(describing:)` gave for the String or Int it
    /// replaces), and with no children, so a section over it (`{{#pix_code}}`) never sends a
    /// lookup inside it to reflection.
    struct Text: MustacheCustomRenderable, MustacheParent {
        let renderText: String
        init(_ text: String) { renderText = text }
        var isNull: Bool { false }
        func child(named: String) -> Any? { nil }
    }
}
