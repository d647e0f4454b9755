import Foundation

extension Planner {
    /// The steps a debt may receive up to and on its due date, in day order: the `upcoming`
    /// ladder's steps before it and, on it, the segment ladder's own due-date steps (`at: 0d`)
    /// when it has any, else the `upcoming` ladder's. So a segment may word the "vence hoje"
    /// notice its own way (firmer for chronic payers), and a customer gets one due-date notice,
    /// never two: once a due-date step of one ladder is in the ledger for the debt (the segment
    /// changed during the day), those of the others are no longer due.
    func dueDateSteps(for debt: Debt, segment: String, ledger: Set<StepKey>) -> [LadderOccurrence] {
        let ladder = ladders.dueDate[segment] ?? ladders.fallback
        let taken = !ledger.isEmpty && ladder.others.contains { ledger.contains(StepKey(debtID: debt.id, dueDate: debt.dueDate, stepID: $0)) }
        return taken ? ladder.steps.filter { $0.day < 0 } : ladder.steps
    }

    /// The day, relative to the due date, from which a step is due. A step before the due date
    /// may fall on a day the sending window stays shut, and stay shut every day after it up to
    /// the due date (a `-1d` on a Sunday before a holiday Monday): held, it would meet no opening
    /// before the due date passed, so it is due from the last earlier day the window opens (the
    /// Saturday). Every other step keeps its day: held, it goes out at the next opening, still
    /// in time; and a step on the due date itself (`0d`, "vence hoje") is never sent early.
    func sendDay(_ o: LadderOccurrence, dueDate: CalendarDate) -> Int {
        let opens = { (day: Int) in policy.window.opens(on: dueDate.adding(days: day)) }
        guard o.day < 0, !(o.day...0).contains(where: opens) else { return o.day }
        return (1...31).lazy.map { o.day - $0 }.first(where: opens) ?? o.day
    }

    /// The steps up to the due date (`early`, the debt's `dueDateSteps`) that had not gone out
    /// when it ended (the window stayed shut, a cap or a pause held them, Lembra was down): from
    /// the next day on they never will, and are recorded `skipped` (`expired`), so that no due
    /// step is dropped without a row. A debt first recorded after its due date had none due
    /// while Lembra knew it (one recorded before sends the latest step already passed), so its
    /// earlier steps leave no row: importing a year of overdue debts does not double the claims.
    func expired(_ debt: Debt, early: [LadderOccurrence], segment: String, customerID: String, today: CalendarDate, tz: TimeZone,
                 ledger: Set<StepKey>) -> [SkippedStep] {
        guard today.days(since: debt.dueDate) >= 1, debt.recordedAt.map({ CalendarDate($0, in: tz) <= debt.dueDate }) ?? true else { return [] }
        return early.filter { !ledger.contains(StepKey(debtID: debt.id, dueDate: debt.dueDate, stepID: $0.stepID)) }.map { o in
            let step = o.step
            return SkippedStep(message: PlannedMessage(kind: .reminder, customerID: customerID, segment: segment, channel: step.channel,
                                                       template: step.template, handoff: policy.handoffChannels.contains(step.channel),
                                                       items: [.init(debt: debt, stepID: o.stepID, day: o.day)], superseded: []),
                               reason: .expired)
        }
    }
}
