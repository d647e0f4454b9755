import Foundation

extension Planner {
    /// Every message a daemon running from `start` through `end` could have sent this customer:
    /// what `lembra restore` records as in doubt, since a backup taken at `start` knows nothing of
    /// what went out after it.
    ///
    /// Conservative on purpose (a step wrongly in doubt is a reminder the operator checks; one
    /// wrongly re-sent is a duplicate charge, CDC art. 42): nothing holds a message, neither the
    /// sending window, nor the caps, nor a pause, an opt-out or a dispute (any of them may have
    /// lifted after the backup), so a step that waited and went out later is counted on the day
    /// it fell due. The customer is planned every 12 hours from `start` and once at `end`, which
    /// reaches every calendar day in any time zone, DST days included; what is planned joins the
    /// case's ledger, as it would have after its claim.
    public func mayHaveGoneOut(_ c: CustomerCase, from start: Date, through end: Date) -> [PlannedMessage] {
        var policy = self.policy
        policy.window = SendingWindow(days: Array(repeating: .init(start: 0, end: 24 * 60), count: 7), holidays: Holidays())
        policy.limits = ContactLimits(minGap: 0, perCustomerPerWeek: 0)
        let open = Planner(policy: policy)
        var c = c
        c.optedOut = false
        c.pausedThrough = nil
        c.disputed = []
        c.recentContacts = []
        var messages: [PlannedMessage] = []
        var at = min(start, end)
        while true {
            for m in open.plan(c, now: at).messages {
                messages.append(m)
                c.ledger.formUnion(m.items.map(\.key) + m.superseded)
            }
            guard at < end else { return messages }
            at = min(at.addingTimeInterval(12 * 3600), end)
        }
    }
}
