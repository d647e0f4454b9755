import Foundation

/// Decides, for one customer at one instant, which reminders go out now, which wait and why,
/// and when to look again. Pure: everything comes in as arguments, `now` included.
public struct Planner: Sendable {
    /// Raised when the planner's rules change, so that a ledger planned under the old ones is
    /// planned again (see `CollectionPolicy.fingerprint`). 2: next checks on segment changes,
    /// due-date steps, expired pre-due steps.
    public static let revision = 2

    public let policy: CollectionPolicy
    let ladders: PlannerLadders

    public init(policy: CollectionPolicy) { self.policy = policy; ladders = PlannerLadders(policy) }

    public func plan(_ c: CustomerCase, now: Date) -> CustomerPlan {
        let tz = policy.timeZone(for: c.customer)
        let today = CalendarDate(now, in: tz)
        let metrics = CustomerMetrics(debts: c.debts, today: today, timeZone: tz)
        let matched = SegmentRule.segment(for: metrics, rules: policy.segments)
        let segment = matched ?? "default"
        var plan = CustomerPlan(customerID: c.customer.id, segment: segment)
        plan.lastSegment = c.lastSegment

        var candidates: [Candidate] = []
        var stepDays: [(debt: Debt, day: CalendarDate?)] = []
        for debt in c.debts {
            if debt.isOpen {
                let early = dueDateSteps(for: debt, segment: segment, ledger: c.ledger)
                stepDays.append((debt, nextStepDay(for: debt, early: early, segment: segment, today: today)))
                plan.skipped += expired(debt, early: early, segment: segment, customerID: c.customer.id, today: today, tz: tz, ledger: c.ledger)
                let due = reminders(for: debt, early: early, segment: segment, today: today, ledger: c.ledger)
                if c.disputed.contains(debt.id) {
                    hold(due, reason: .disputed, until: nil, in: &plan)
                } else if let promise = c.promises[debt.id] {
                    candidates += promised(due, promise: promise, ledger: c.ledger, today: today, tz: tz, in: &plan)
                    candidates += promiseConfirmation(for: debt, promise: promise, ledger: c.ledger, today: today,
                                                      customerID: c.customer.id, segment: segment, in: &plan)
                } else {
                    candidates += due
                }
            } else if c.thanksDue.contains(debt.id) {
                candidates += thanks(for: debt, ledger: c.ledger)
                plan.nextCheck[debt.id] = .some(nil)
            }
        }
        scheduleChecks(stepDays, segment: matched, debts: c.debts, today: today, tz: tz, into: &plan)
        // After the checks are set: a promise's end is a time to look again (see `promised`).
        for held in plan.held where held.reason == .promised { lookAgain(held.key.debtID, by: held.until, in: &plan) }
        guard !candidates.isEmpty else { return plan }

        if let (reason, until) = customerHold(c, now: now, today: today, tz: tz) {
            hold(candidates, reason: reason, until: until, in: &plan)
            return plan
        }
        let messages = holdingUnaddable(group(candidates, segment: segment, customerID: c.customer.id), in: &plan)
        applyCaps(messages, contacts: c.recentContacts, now: now, into: &plan)
        return plan
    }

    /// A step due for a debt now.
    struct Candidate {
        var debt: Debt
        var occurrence: LadderOccurrence
        var day: Int
        var kind: PlannedMessage.Kind
        var superseded: [StepKey]
        var key: StepKey { StepKey(debtID: debt.id, dueDate: debt.dueDate, stepID: occurrence.stepID) }
    }

    /// The steps due for a debt now: those of its current ladder on the latest day already reached
    /// (several steps may share a day, e.g. an e-mail and a CRM task) not yet in the ledger.
    /// Older steps never sent are superseded: after downtime only the latest is sent. Up to the
    /// due date the ladder is `dueDateSteps`, each due from its `sendDay`; from the day after,
    /// the segment's ladder (`early` is the debt's `dueDateSteps`).
    func reminders(for debt: Debt, early: [LadderOccurrence], segment: String, today: CalendarDate, ledger: Set<StepKey>) -> [Candidate] {
        let day = today.days(since: debt.dueDate)
        let due = day <= 0
            ? early.filter { sendDay($0, dueDate: debt.dueDate) <= day }
            : (ladders.segments[segment] ?? []).filter { (1...day).contains($0.day) }
        let key = { (o: LadderOccurrence) in StepKey(debtID: debt.id, dueDate: debt.dueDate, stepID: o.stepID) }
        guard let latestDay = due.map(\.day).max() else { return [] }
        let current = due.filter { $0.day == latestDay && !ledger.contains(key($0)) }
        let older = due.filter { $0.day < latestDay }.map(key).filter { !ledger.contains($0) }
        return current.enumerated().map { i, o in
            Candidate(debt: debt, occurrence: o, day: day, kind: .reminder, superseded: i == 0 ? older : [])
        }
    }

    func thanks(for debt: Debt, ledger: Set<StepKey>) -> [Candidate] {
        policy.onPaid.occurrences
            .filter { !ledger.contains(StepKey(debtID: debt.id, dueDate: debt.dueDate, stepID: $0.stepID)) }
            .map { Candidate(debt: debt, occurrence: $0, day: 0, kind: .thanks, superseded: []) }
    }

    /// Holds that apply to the whole customer: opt-out, pause, the sending window.
    func customerHold(_ c: CustomerCase, now: Date, today: CalendarDate, tz: TimeZone) -> (HoldReason, Date?)? {
        customerHold(optedOut: c.optedOut, pausedThrough: c.pausedThrough, now: now, today: today, tz: tz)
    }

    /// The same holds from the customer's flags alone, so an attempt claimed earlier is checked
    /// again by exactly the rules that planned it (see `recheck`).
    func customerHold(optedOut: Bool, pausedThrough: CalendarDate?, now: Date, today: CalendarDate, tz: TimeZone) -> (HoldReason, Date?)? {
        if optedOut { return (.optedOut, nil) }
        if let through = pausedThrough, through >= today {
            return (.paused, through == .endOfTime ? nil : through.adding(days: 1).instant(in: tz))
        }
        if let closure = policy.window.closure(at: now, in: tz) {
            let reason: HoldReason = closure == .holiday ? .holiday : .outsideWindow
            return (reason, policy.window.nextOpening(atOrAfter: now, in: tz))
        }
        return nil
    }

    func hold(_ candidates: [Candidate], reason: HoldReason, until: Date?, in plan: inout CustomerPlan) {
        for c in candidates {
            plan.held.append(HeldStep(key: c.key, channel: c.occurrence.step.channel, reason: reason, until: until))
            lookAgain(c.debt.id, by: until, in: &plan)
        }
    }

    /// One message per (kind, channel, template), listing every debt due on it; firmest first.
    /// A customer's candidates fall into a handful of messages, so each finds its own by a linear
    /// search: cheaper than hashing a key composed by string interpolation (which formats an
    /// enum by reflection, about 1% of a tick).
    func group(_ candidates: [Candidate], segment: String, customerID: String) -> [PlannedMessage] {
        var messages: [PlannedMessage] = []
        for c in candidates {
            let step = c.occurrence.step
            let index: Int
            if let found = messages.firstIndex(where: { $0.kind == c.kind && $0.channel == step.channel && $0.template == step.template }) {
                index = found
            } else {
                index = messages.count
                messages.append(PlannedMessage(kind: c.kind, customerID: customerID, segment: segment, channel: step.channel,
                                               template: step.template, handoff: policy.handoffChannels.contains(step.channel),
                                               items: [], superseded: []))
            }
            messages[index].items.append(.init(debt: c.debt, stepID: c.occurrence.stepID, day: c.day))
            messages[index].superseded += c.superseded
        }
        return messages.sorted { ($0.items.map(\.day).max() ?? 0) > ($1.items.map(\.day).max() ?? 0) }
    }
}

extension CalendarDate {
    /// Marks an open-ended pause.
    public static let endOfTime = CalendarDate(dayNumber: Int(Int32.max))
}
