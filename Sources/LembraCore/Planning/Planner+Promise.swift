import Foundation

extension Planner {
    /// The template of the first reminder after a promise passed unpaid.
    public static let brokenPromiseTemplate = "broken-promise"
    /// The template of the message confirming a promise.
    public static let promiseConfirmedTemplate = "promise-confirmed"

    /// The step id of the confirmation of a promise made from step `stepID`'s link: one per step,
    /// like the promise itself, so the ledger sends it once.
    public static func promiseConfirmationStep(_ stepID: String) -> String { "promise-confirmed:\(stepID)" }

    /// What a debt with a promise gets: while the promised day has not passed, its due reminders
    /// are held until the day after it (a reason in `history`, and the planner looks again then);
    /// once it has, the ladder resumes and its first reminder after the promise is the
    /// `broken-promise` template. Expiry and supersession are the ladder's own (`reminders`,
    /// `expired`): a promise never makes a step go missing without a row.
    func promised(_ due: [Candidate], promise: DebtPromise, ledger: Set<StepKey>, today: CalendarDate, tz: TimeZone,
                  in plan: inout CustomerPlan) -> [Candidate] {
        if promise.through >= today {
            hold(due, reason: .promised, until: promise.through.adding(days: 1).instant(in: tz), in: &plan)
            return []
        }
        guard let debt = due.first?.debt, !resumedSince(promise, debt: debt, ledger: ledger) else { return due }
        return due.map { candidate in
            var broken = candidate
            if !policy.handoffChannels.contains(candidate.occurrence.step.channel) {
                broken.occurrence.step.template = Self.brokenPromiseTemplate
            }
            return broken
        }
    }

    /// Whether a reminder of a step later in the ladder than the promise's own is already in the
    /// ledger for this debt (sent, or skipped when one was sent): then the broken-promise
    /// message went out, and the ladder goes on with its own templates.
    func resumedSince(_ promise: DebtPromise, debt: Debt, ledger: Set<StepKey>) -> Bool {
        guard let made = ladders.occurrence[promise.stepID]?.day else { return true }
        return ledger.contains { key in
            key.debtID == debt.id && key.dueDate == debt.dueDate && (ladders.occurrence[key.stepID]?.day ?? .min) > made
        }
    }

    /// The confirmation of a promise, on the channel of the message that carried the link, while
    /// the promise lasts and it has not gone out. It is a reply to the customer's own request, so,
    /// like a thank-you, it is not held by the caps (`kind: .thanks`). One whose promise passed
    /// before it could go (a pause, the window) is recorded skipped as expired.
    func promiseConfirmation(for debt: Debt, promise: DebtPromise, ledger: Set<StepKey>, today: CalendarDate,
                             customerID: String, segment: String, in plan: inout CustomerPlan) -> [Candidate] {
        let stepID = Self.promiseConfirmationStep(promise.stepID)
        guard let channel = ladders.occurrence[promise.stepID]?.step.channel,
              !ledger.contains(StepKey(debtID: debt.id, dueDate: debt.dueDate, stepID: stepID)) else { return [] }
        guard promise.through >= today else {
            let message = PlannedMessage(kind: .thanks, customerID: customerID, segment: segment, channel: channel,
                                         template: Self.promiseConfirmedTemplate, handoff: false,
                                         items: [.init(debt: debt, stepID: stepID, day: 0)], superseded: [])
            plan.skipped.append(SkippedStep(message: message, reason: .expired))
            return []
        }
        let step = LadderStep(id: stepID, at: 0, channel: channel, template: Self.promiseConfirmedTemplate)
        return [Candidate(debt: debt, occurrence: LadderOccurrence(stepID: stepID, day: 0, step: step), day: 0, kind: .thanks, superseded: [])]
    }
}
