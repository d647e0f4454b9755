/// The policy's ladders as the planner reads them for every debt it plans, sorted once when the
/// planner is made rather than for each debt.
struct PlannerLadders: Sendable {
    /// What one segment's debts may receive up to and on their due date (see
    /// `Planner.dueDateSteps`).
    struct DueDate: Sendable {
        /// In day order: the `upcoming` steps before the due date, then the due-date steps.
        var steps: [LadderOccurrence]
        /// The ids of the due-date steps of every other ladder: once one of them is in the ledger
        /// for a debt, this segment's due-date steps are no longer due.
        var others: [String]
    }

    /// Each segment ladder's occurrences in day order.
    var segments: [String: [LadderOccurrence]]
    /// By segment; `fallback` for a segment without a ladder.
    var dueDate: [String: DueDate]
    var fallback: DueDate
    /// Every occurrence of every ladder by step id (the first one when ids repeat across ladders):
    /// where a payment promise sits in the ladder.
    var occurrence: [String: LadderOccurrence] = [:]

    init(_ policy: CollectionPolicy) {
        segments = policy.ladders.mapValues(\.occurrences)
        let upcoming = policy.upcoming.occurrences
        let allDueDate = (upcoming + segments.values.flatMap { $0 }).filter { $0.day == 0 }.map(\.stepID)
        func make(_ own: [LadderOccurrence]) -> DueDate {
            let onDueDate = own.isEmpty ? upcoming.filter { $0.day == 0 } : own
            let ids = Set(onDueDate.map(\.stepID))
            return DueDate(steps: upcoming.filter { $0.day < 0 } + onDueDate, others: Array(Set(allDueDate.filter { !ids.contains($0) })).sorted())
        }
        dueDate = segments.mapValues { make($0.filter { $0.day == 0 }) }
        fallback = make([])
        for o in segments.values.flatMap({ $0 }) + upcoming where occurrence[o.stepID] == nil { occurrence[o.stepID] = o }
    }
}
