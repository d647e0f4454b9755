extension Planner {
    /// The messages that can go out; each one whose total does not fit in Int64 cents (see
    /// `PlannedMessage.total`) is held instead, with reason `amount_overflow`; the debt keeps its
    /// own next check (as under every other open-ended hold), so a step that expires meanwhile
    /// still gets its row and `preview` and `run` keep agreeing.
    ///
    /// A reminder with a wrong total is an undue charge, and such amounts only come from ledgers
    /// written before imports bounded them, so the steps wait for the data to be fixed: an import
    /// or payment touching the debts plans them again. The customer's other messages, and every
    /// other customer, go on as usual.
    func holdingUnaddable(_ messages: [PlannedMessage], in plan: inout CustomerPlan) -> [PlannedMessage] {
        messages.filter { message in
            if (try? message.total()) != nil { return true }
            for item in message.items {
                plan.held.append(HeldStep(key: item.key, channel: message.channel, reason: .amountOverflow, until: nil))
                lookAgain(item.debt.id, by: nil, in: &plan)
            }
            return false
        }
    }
}
