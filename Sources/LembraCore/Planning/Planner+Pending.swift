import Foundation

extension Planner {
    /// Checks again, at `now`, an attempt claimed in an earlier tick, before it goes out: a retry
    /// whose time has come, a claim a crash left unsent, one re-queued after an interrupted send.
    ///
    /// The planner let it through when it was claimed, but time has passed: a retry backed off
    /// past 20:00 or a crash recovered on a Sunday would reach the customer outside the legal
    /// window (CDC art. 71), and a payment, a dispute, a pause or an opt-out may have come in
    /// meanwhile; a paid or disputed debt stops its reminders and its promise confirmation, not
    /// its thank-you. The rules are the planner's own (`customerHold`, in the customer's zone), so a
    /// pending attempt obeys exactly what a new reminder obeys. Fresh claims need no recheck:
    /// the planner just applied these rules to them.
    public func recheck(_ p: PendingFacts, now: Date) -> PendingVerdict {
        if p.kind != .thanks {
            if p.anyDebtPaid { return .cancel(.paid) }
            if p.anyDebtDisputed { return .cancel(.disputed) }
        }
        let tz = policy.timeZone(identifier: p.timezone)
        guard let (reason, until) = customerHold(optedOut: p.optedOut, pausedThrough: p.pausedThrough, now: now,
                                                 today: CalendarDate(now, in: tz), tz: tz) else { return .send }
        switch reason {
        case .optedOut: return .cancel(.optedOut)
        case .paused: return .cancel(.paused)
        default:
            // A window that never opens in the year searched (every day closed): look again tomorrow.
            return .wait(until: until ?? now.addingTimeInterval(86_400), reason: reason)
        }
    }

    /// Until when a message planned or re-checked at `now` may still go out to a customer in the
    /// zone `timezone` (an IANA name, the business's when nil or unknown): the end of the sending
    /// window that is open now. The lanes check it just before sending, so a long tick does not
    /// carry what it planned at 19:59 past 20:00.
    public func sendingDeadline(timezone: String?, now: Date) -> Date? {
        policy.window.closing(after: now, in: policy.timeZone(identifier: timezone))
    }
}
