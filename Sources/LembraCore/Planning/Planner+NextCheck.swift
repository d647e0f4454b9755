import Foundation

extension Planner {
    /// Sets when to look at each open debt again: its next step day (`stepDays`), or the day the
    /// customer's segment changes, whichever comes first (nil: only an event, such as a payment
    /// or an import, brings it back). Between two checks nothing can fall due, so a tick that
    /// reads only the debts whose check has come (the `next_check_at` index) plans exactly what
    /// `preview`, which plans every debt, shows. `segment`: the rule that matches today.
    func scheduleChecks(_ stepDays: [(debt: Debt, day: CalendarDate?)], segment: String?, debts: [Debt], today: CalendarDate,
                        tz: TimeZone, into plan: inout CustomerPlan) {
        guard !stepDays.isEmpty else { return }
        // Every debt of the customer is planned again on the first of these days, with the
        // segment of that day: no need to look for a change beyond it.
        let change = SegmentRule.nextChange(from: segment, debts: debts, today: today, timeZone: tz, rules: policy.segments,
                                            before: stepDays.compactMap(\.day).min())
        for (debt, day) in stepDays {
            plan.nextCheck[debt.id] = .some([day, change].compactMap { $0 }.min()?.instant(in: tz))
        }
    }

    /// The next day after `today` on which one of the debt's steps falls due while the customer
    /// stays in `segment`: a step up to the due date (`early`, its `dueDateSteps`) on its
    /// `sendDay`; the first day overdue, when the overdue ladder starts and what is left of the
    /// earlier steps expires; the next step of the segment's ladder.
    func nextStepDay(for debt: Debt, early: [LadderOccurrence], segment: String, today: CalendarDate) -> CalendarDate? {
        let day = today.days(since: debt.dueDate)
        guard day >= 1 else {
            return debt.dueDate.adding(days: early.lazy.map { sendDay($0, dueDate: debt.dueDate) }.filter { $0 > day }.min() ?? 1)
        }
        return ladders.segments[segment]?.first { $0.day > day }.map { debt.dueDate.adding(days: $0.day) }
    }

    /// Has the planner look at a held debt again by `until` (when the hold lifts), or sooner if
    /// its own next check comes first: a cap does not hold a handoff step that falls due
    /// meanwhile, nor does any hold stop a step from expiring. nil `until` (a dispute, an
    /// open-ended pause, an opt-out): only the debt's own next check.
    func lookAgain(_ debtID: String, by until: Date?, in plan: inout CustomerPlan) {
        guard let until else { return }
        let current: Date? = plan.nextCheck[debtID] ?? nil
        plan.nextCheck[debtID] = .some(current.map { min($0, until) } ?? until)
    }
}
