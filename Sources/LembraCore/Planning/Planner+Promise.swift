import Foundation

extension Planner {
    /// The template of the first reminder after a promise passed unpaid, on an e-mail channel.
    public static let brokenPromiseTemplate = "broken-promise"
    /// Its short version, for a channel that sends a text (SMS, WhatsApp through a webhook).
    public static let brokenPromiseShortTemplate = "broken-promise-sms"
    /// The template of the message confirming a promise, on an e-mail channel.
    public static let promiseConfirmedTemplate = "promise-confirmed"
    /// Its short version, for a channel that sends a text.
    public static let promiseConfirmedShortTemplate = "promise-confirmed-sms"

    /// The wording of a promise message for `channel`: `email` on an e-mail channel, `short` on one
    /// that sends a text (`CollectionPolicy.shortMessageChannels`), so an SMS never carries an
    /// e-mail's `Subject:` line and letter.
    func promiseTemplate(email: String, short: String, channel: String) -> String {
        policy.shortMessageChannels.contains(channel) ? short : email
    }

    /// The step id of the confirmation of a promise made from step `stepID`'s link: one per step,
    /// like the promise itself, so the ledger sends it once.
    public static func promiseConfirmationStep(_ stepID: String) -> String { "promise-confirmed:\(stepID)" }

    /// What a debt with a promise gets: while the promised day has not passed, its due reminders
    /// are held until the day after it (a reason in `history`, and the planner looks again then);
    /// once it has, the ladder resumes and its first reminder after the promise is the
    /// `broken-promise` template (its short version on a text channel). Expiry and supersession
    /// are the ladder's own (`reminders`, `expired`): a promise never makes a step go missing
    /// without a row.
    func promised(_ due: [Candidate], promise: DebtPromise, ledger: Set<StepKey>, today: CalendarDate, tz: TimeZone,
                  in plan: inout CustomerPlan) -> [Candidate] {
        if promise.through >= today {
            hold(due, reason: .promised, until: promise.through.adding(days: 1).instant(in: tz), in: &plan)
            return []
        }
        guard let debt = due.first?.debt, !resumedSince(promise, debt: debt, ledger: ledger) else { return due }
        return due.map { candidate in
            var broken = candidate
            let channel = candidate.occurrence.step.channel
            if !policy.handoffChannels.contains(channel) {
                broken.occurrence.step.template = promiseTemplate(email: Self.brokenPromiseTemplate, short: Self.brokenPromiseShortTemplate,
                                                                  channel: channel)
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
    /// the promise lasts and it has not gone out, in that channel's wording. It is a reply to the
    /// customer's own request, moments old, so the caps don't hold it (see `applyCaps`): held by
    /// `min_gap` behind the reminder that carried the link, it would come days late. One whose
    /// promise passed before it could go (a pause, the window) is recorded skipped as expired.
    func promiseConfirmation(for debt: Debt, promise: DebtPromise, ledger: Set<StepKey>, today: CalendarDate,
                             customerID: String, segment: String, in plan: inout CustomerPlan) -> [Candidate] {
        let stepID = Self.promiseConfirmationStep(promise.stepID)
        guard let channel = ladders.occurrence[promise.stepID]?.step.channel,
              !ledger.contains(StepKey(debtID: debt.id, dueDate: debt.dueDate, stepID: stepID)) else { return [] }
        let template = promiseTemplate(email: Self.promiseConfirmedTemplate, short: Self.promiseConfirmedShortTemplate, channel: channel)
        guard promise.through >= today else {
            let message = PlannedMessage(kind: .promiseConfirmed, customerID: customerID, segment: segment, channel: channel,
                                         template: template, handoff: false,
                                         items: [.init(debt: debt, stepID: stepID, day: 0)], superseded: [])
            plan.skipped.append(SkippedStep(message: message, reason: .expired))
            return []
        }
        let step = LadderStep(id: stepID, at: 0, channel: channel, template: template)
        return [Candidate(debt: debt, occurrence: LadderOccurrence(stepID: stepID, day: 0, step: step), day: 0, kind: .promiseConfirmed,
                          superseded: [])]
    }
}
