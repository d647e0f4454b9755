/// A value of the message context, as a template's compiled lookup sees it (`CompiledTemplate`);
/// `MessageContext` wraps the same values for Mustache. Both answer a name from `child`, so the
/// names and what they hold are written once.
enum TemplateValue {
    case root(MessageFacts)
    case customer(MessageFacts)
    case business(MessageFacts)
    case debts([MessageFacts.DebtFacts])
    case debt(MessageFacts.DebtFacts)
    case text(String)
    case bool(Bool)

    /// The kinds of value a key holds (`TemplateKey.kind`).
    enum Kind { case object, list, bool, text }

    /// The value `key` names in this scope; nil when the scope doesn't know it or it is unset
    /// (`description`, `payment_link`, `pix_code`, `promise_link`, `business.reply_to`), so the
    /// lookup goes on to the enclosing scope and a section over it renders nothing.
    func child(_ key: TemplateKey) -> TemplateValue? {
        switch self {
        case .root(let facts): Self.root(facts, key)
        case .customer(let facts):
            switch key {
            case .id: .text(facts.customer.id)
            case .name: .text(facts.customer.name)
            default: nil
            }
        case .business(let facts):
            switch key {
            case .name: .text(facts.business.name)
            case .document: .text(facts.business.document)
            case .address: .text(facts.business.address)
            case .reply_to: facts.business.replyTo.map { .text($0) }
            default: nil
            }
        case .debt(let facts): Self.debt(facts, key)
        case .debts, .text, .bool: nil
        }
    }

    private static func root(_ facts: MessageFacts, _ key: TemplateKey) -> TemplateValue? {
        switch key {
        case .customer: .customer(facts)
        case .debts: .debts(facts.debts)
        case .count: .text(String(facts.debts.count))
        case .total: .text(facts.total)
        case .total_due_today: .text(facts.totalDueToday)
        case .late_fees: .bool(facts.debts.contains { $0.charge?.hasFees == true })
        case .business: .business(facts)
        case .segment: .text(facts.message.segment)
        case .step: .text(facts.step)
        case .today: .text(facts.today)
        default: nil
        }
    }

    /// `late_fees` is a Bool here, never nil, so a debt without fees doesn't fall back to the root's answer.
    private static func debt(_ facts: MessageFacts.DebtFacts, _ key: TemplateKey) -> TemplateValue? {
        switch key {
        case .id: .text(facts.debt.id)
        case .description: facts.debt.description.isEmpty ? nil : .text(facts.debt.description)
        case .amount: .text(facts.amount)
        case .amount_cents: .text(facts.amountCents)
        case .due_date: .text(facts.dueDate)
        case .days_overdue: .text(String(facts.daysOverdue))
        case .payment_link: facts.paymentLink.map { .text($0) }
        case .pix_code: facts.pixCode.map { .text($0) }
        case .promise_link: facts.promiseLink.map { .text($0) }
        case .amount_due_today: .text(facts.amountDueToday)
        case .amount_due_today_cents: .text(String(facts.dueTodayMoney.cents))
        case .late_fee_fine: .text(facts.formatted(facts.charge?.fine ?? .zero))
        case .late_fee_interest: .text(facts.formatted(facts.charge?.interest ?? .zero))
        case .late_fees: .bool(facts.charge?.hasFees == true)
        default: nil
        }
    }
}
