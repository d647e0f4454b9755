/// One message to claim and send: a customer, a channel, a template, and the debts it covers
/// (several debts of a customer due together are consolidated into one message).
public struct PlannedMessage: Sendable, Equatable {
    /// What the message is to the customer, stored with each attempt. `promiseConfirmed` answers a
    /// promise the customer made on the promise page: its own kind so a webhook receiver tells it
    /// from a thank-you (`payment.promise_confirmed`), a payment or a dispute stops it as it stops a
    /// reminder, and a send left in doubt follows `in_doubt:` (it is not resent as a thank-you is).
    /// Like a thank-you, the caps don't hold it (see `Planner.applyCaps`).
    public enum Kind: String, Sendable {
        case reminder, thanks
        case promiseConfirmed = "promise_confirmed"
    }

    public struct Item: Sendable, Equatable {
        public var debt: Debt
        public var stepID: String
        /// Days relative to the due date on the day planned (negative: before it).
        public var day: Int

        public init(debt: Debt, stepID: String, day: Int) { self.debt = debt; self.stepID = stepID; self.day = day }

        public var key: StepKey { StepKey(debtID: debt.id, dueDate: debt.dueDate, stepID: stepID) }
    }

    public var kind: Kind
    public var customerID: String
    public var segment: String
    public var channel: String
    public var template: String
    /// Handoff messages are tasks for a person; they don't count toward the caps.
    public var handoff: Bool
    public var items: [Item]
    /// Older missed steps of these debts, recorded as skipped when this message is claimed.
    public var superseded: [StepKey]

    public init(kind: Kind, customerID: String, segment: String, channel: String, template: String, handoff: Bool,
                items: [Item], superseded: [StepKey]) {
        self.kind = kind; self.customerID = customerID; self.segment = segment; self.channel = channel
        self.template = template; self.handoff = handoff; self.items = items; self.superseded = superseded
    }

    /// The most advanced step of the message, for logs and the template's `step`.
    public var stepID: String { items.max { $0.day < $1.day }?.stepID ?? "" }
}
