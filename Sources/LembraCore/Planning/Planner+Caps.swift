import Foundation

extension Planner {
    /// Lets through what the caps allow: every handoff message, thank-you and promise confirmation
    /// (answers to what the customer just did: paid, or promised on the page), and at most one
    /// reminder per customer, only if `min_gap` has passed and the rolling week has room. The rest
    /// is held with the time it may go. Only reminders to the customer count toward the caps
    /// (`recentContacts`): a confirmation sent now does not delay the next reminder of another debt.
    func applyCaps(_ messages: [PlannedMessage], contacts: [Date], now: Date, into plan: inout CustomerPlan) {
        var counted = contacts.filter { now.timeIntervalSince($0) < 7 * 86_400 }.sorted()
        for message in messages {
            if message.handoff || message.kind != .reminder {
                plan.messages.append(message)
                continue
            }
            if let (reason, until) = capHold(counted, now: now) {
                for item in message.items {
                    plan.held.append(HeldStep(key: item.key, channel: message.channel, reason: reason, until: until))
                    lookAgain(item.debt.id, by: until, in: &plan)
                }
                continue
            }
            plan.messages.append(message)
            counted.append(now)
        }
    }

    /// Which cap holds a new message now, if any, and when it lifts. `contacts` is sorted.
    func capHold(_ contacts: [Date], now: Date) -> (HoldReason, Date)? {
        let limits = policy.limits
        if let last = contacts.last, now.timeIntervalSince(last) < limits.minGap {
            return (.minGap, last.addingTimeInterval(limits.minGap))
        }
        if limits.perCustomerPerWeek > 0, contacts.count >= limits.perCustomerPerWeek {
            let oldest = contacts[contacts.count - limits.perCustomerPerWeek]
            return (.weeklyCap, oldest.addingTimeInterval(7 * 86_400))
        }
        return nil
    }
}
