/// One part of a template's variable name (`customer.name` is two): every name a scope of the
/// message context answers (`TemplateValue.child`). A part that is none of these answers
/// nothing anywhere, as it would from Mustache's own lookup.
enum TemplateKey: String, Sendable {
    case customer, debts, count, total, total_due_today, late_fees, business, segment, step, today
    case id, name, document, address, reply_to
    case description, amount, amount_cents, due_date, days_overdue, payment_link, pix_code, promise_link
    case amount_due_today, amount_due_today_cents, late_fee_fine, late_fee_interest

    /// What the key's value is, whichever scope answers it: a compiled template relies on it to
    /// know, when it is compiled, what a tag will render or push.
    var kind: TemplateValue.Kind {
        switch self {
        case .customer, .business: .object
        case .debts: .list
        case .late_fees: .bool
        default: .text
        }
    }
}
