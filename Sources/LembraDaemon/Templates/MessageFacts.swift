import Foundation
import LembraCore
import LembraIngress

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
        /// The fine and interest on the message's day; nil when `late_fees` is off, and for a thank-you.
        let charge: LateFeeCharge?
        /// `amount` with the fine and interest of the message's day (`amount` itself without them).
        let amountDueToday: String
        /// For the Pix code and the signed link: the amount due on the message's day.
        let paymentLink: String?
        let pixCode: String?
        /// The signed link to the payment promise page for this debt and the item's step; nil
        /// unless `ingress.promise` is configured, and in a thank-you or a confirmation.
        let promiseLink: String?
        let locale: MessageLocale

        init(_ item: PlannedMessage.Item, locale: MessageLocale, links: PaymentLinks, lateFees: LateFees?,
             today: CalendarDate, promise: PromiseSettings?, now: Date) throws(MoneyOverflow) {
            let d = item.debt
            debt = d
            self.locale = locale
            daysOverdue = max(0, item.day)
            amount = d.amount.formatted(currency: d.currency, locale: locale)
            amountCents = String(d.amount.cents)
            dueDate = d.dueDate.formatted(locale: locale)
            charge = try lateFees?.charge(open: d.amount, dueDate: d.dueDate, today: today)
            // A customer who pays by the link or the Pix code pays what the message says is due.
            var billed = d
            if let charge, charge.hasFees {
                billed.amount = charge.amountDueToday
                amountDueToday = charge.amountDueToday.formatted(currency: d.currency, locale: locale)
            } else {
                amountDueToday = amount
            }
            paymentLink = links.url(for: billed)
            pixCode = links.pixCode(for: billed)
            promiseLink = promise?.link(debt: d, stepID: item.stepID, now: now)
        }

        /// What is owed on the message's day, fees included.
        var dueTodayMoney: Money { charge?.amountDueToday ?? debt.amount }

        /// `money` formatted like the debt's other amounts.
        func formatted(_ money: Money) -> String { money.formatted(currency: debt.currency, locale: locale) }
    }

    let message: PlannedMessage
    let customer: Customer
    let business: BusinessIdentity
    let locale: MessageLocale
    let debts: [DebtFacts]
    /// The sum of the debts, formatted in the first debt's currency (the business's when none).
    let total: String
    let totalCents: String
    /// The sum of the amounts due today (`total` without late fees); and in cents.
    let totalDueToday: String
    let totalDueTodayCents: String
    /// Whether `late_fees` is on for this message (a reminder, not a thank-you).
    let hasLateFeeTerms: Bool
    /// The most advanced step (`PlannedMessage.stepID`).
    let step: String
    /// The customer's calendar day at the claim, formatted for the locale.
    let today: String

    /// `now` is the claim time: signed links expire `expires_in` after it, so a retry of the
    /// same attempt carries the same link. Late fees are those of `today` (the customer's day at
    /// the claim): the payload is stored with the claim, so a retry on a later day sends the same
    /// amounts. Throws when the debts' total, or a debt with its fees, does not fit in Int64
    /// cents (the planner holds such messages; this keeps a wrong total out of any other path).
    init(_ m: PlannedMessage, customer: Customer, config: LembraConfig, locale: MessageLocale, today: CalendarDate,
         now: Date) throws(MoneyOverflow) {
        let sum = try m.total()
        let links = PaymentLinks(config: config.paymentLink, now: now)
        message = m
        self.customer = customer
        business = config.business
        self.locale = locale
        let lateFees = m.kind == .reminder ? config.lateFees : nil
        let promise = m.kind == .reminder ? config.ingress?.promise : nil
        var debts: [DebtFacts] = []
        debts.reserveCapacity(m.items.count)
        for item in m.items {
            debts.append(try DebtFacts(item, locale: locale, links: links, lateFees: lateFees, today: today, promise: promise, now: now))
        }
        self.debts = debts
        let currency = m.items.first?.debt.currency ?? config.currency
        total = sum.formatted(currency: currency, locale: locale)
        totalCents = String(sum.cents)
        hasLateFeeTerms = lateFees != nil
        if debts.contains(where: { $0.charge?.hasFees == true }) {
            let dueToday = try Money.sum(debts.lazy.map(\.dueTodayMoney))
            totalDueToday = dueToday.formatted(currency: currency, locale: locale)
            totalDueTodayCents = String(dueToday.cents)
        } else {
            totalDueToday = total
            totalDueTodayCents = totalCents
        }
        step = m.stepID
        self.today = today.formatted(locale: locale)
    }
}
