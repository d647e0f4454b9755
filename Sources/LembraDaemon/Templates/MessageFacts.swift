import Foundation
import LembraCore

/// What one message says, derived once from the ledger and the config and read by both the
/// template context (`MessageContext`) and the webhook body (`WebhookPayload`): formatted
/// amounts and dates, and each debt's payment link and Pix code (one HMAC or one BR Code with its
/// CRC per debt, however many consumers read it).
final class MessageFacts {
    /// One debt of the message.
    final class DebtFacts {
        let debt: Debt
        /// Days past the due date on the day planned; 0 before it.
        let daysOverdue: Int
        /// Formatted for the message's locale (`R$ 189,90`).
        let amount: String
        let amountCents: String
        /// Formatted for the message's locale (`17/11/2026`); the webhook body carries `debt.dueDate.iso`.
        let dueDate: String
        let paymentLink: String?
        let pixCode: String?

        init(_ item: PlannedMessage.Item, locale: MessageLocale, links: PaymentLinks) {
            let d = item.debt
            debt = d
            daysOverdue = max(0, item.day)
            amount = d.amount.formatted(currency: d.currency, locale: locale)
            amountCents = String(d.amount.cents)
            dueDate = d.dueDate.formatted(locale: locale)
            paymentLink = links.url(for: d)
            pixCode = links.pixCode(for: d)
        }
    }

    let message: PlannedMessage
    let customer: Customer
    let business: BusinessIdentity
    let locale: MessageLocale
    let debts: [DebtFacts]
    /// The sum of the debts, formatted in the first debt's currency (the business's when none).
    let total: String
    let totalCents: String
    /// The most advanced step (`PlannedMessage.stepID`).
    let step: String
    /// The customer's calendar day at the claim, formatted for the locale.
    let today: String

    /// `now` is the claim time: signed links expire `expires_in` after it, so a retry of the
    /// same attempt carries the same link. Throws when the debts' total does not fit in Int64
    /// cents (the planner holds such messages; this keeps a wrong total out of any other path).
    init(_ m: PlannedMessage, customer: Customer, config: LembraConfig, locale: MessageLocale, today: CalendarDate,
         now: Date) throws(MoneyOverflow) {
        let sum = try m.total()
        let links = PaymentLinks(config: config.paymentLink, now: now)
        message = m
        self.customer = customer
        business = config.business
        self.locale = locale
        debts = m.items.map { DebtFacts($0, locale: locale, links: links) }
        total = sum.formatted(currency: m.items.first?.debt.currency ?? config.currency, locale: locale)
        totalCents = String(sum.cents)
        step = m.stepID
        self.today = today.formatted(locale: locale)
    }
}
