import Foundation
import LembraCore

/// A policy like the design's sketch, built the way the daemon builds it: `email`, `sms` and
/// `crm` (a handoff) channels; the `offer` step repeats weekly, at most twice. Its own ladders,
/// not the built-in defaults, so that the planner's tests don't move when those do.
enum TestPolicy {
    static let segmentLadders = ["forgetful", "short_delay", "chronic"]

    static let ladders: [String: [DefaultPolicy.Step]] = [
        "upcoming": [(-3, "email", "upcoming", nil), (0, "email", "due-today", nil)],
        "forgetful": [(1, "email", "friendly", nil), (4, "sms", "friendly-sms", nil)],
        "short_delay": [(6, "email", "second-notice", nil), (15, "email", "offer", 7)],
        "chronic": [(1, "email", "firm", nil), (3, "crm", "call-task", nil)],
        "on_paid": [(0, "email", "thanks", nil)],
    ]

    static func ladder(_ name: String) -> Ladder {
        Ladder(name: name, steps: ladders[name]!.map {
            LadderStep(id: name == "on_paid" ? "on_paid.\($0.template)" : LadderStep.defaultID(ladder: name, at: $0.at),
                       at: $0.at, channel: $0.channel, template: $0.template, repeatEvery: $0.repeatEvery, maxRepeats: 2)
        })
    }

    static func make(segments: [SegmentRule] = DefaultPolicy.segments, limits: ContactLimits = ContactLimits()) -> CollectionPolicy {
        CollectionPolicy(segments: segments, ladders: Dictionary(uniqueKeysWithValues: segmentLadders.map { ($0, ladder($0)) }),
                         upcoming: ladder("upcoming"), onPaid: ladder("on_paid"), limits: limits,
                         handoffChannels: ["crm"], shortMessageChannels: ["sms", "crm"], timeZone: Zone.saoPaulo)
    }

    /// Every step id any ladder can fire, with its day, for marking steps as already in the ledger.
    static func allOccurrences(_ policy: CollectionPolicy) -> [LadderOccurrence] {
        (Array(policy.ladders.values) + [policy.upcoming]).flatMap(\.occurrences)
    }
}

func debt(_ id: String, due: String, cents: Int64 = 10_000, paidAt: Date? = nil, customer: String = "c1") -> Debt {
    Debt(id: id, customerID: customer, amount: Money(cents: cents), dueDate: day(due), paidAt: paidAt)
}

func customer(_ id: String = "c1", zone: TimeZone? = nil) -> Customer {
    Customer(id: id, name: "Ana", email: "ana@exemplo.com", timezone: zone?.identifier)
}

func key(_ debt: Debt, _ step: String) -> StepKey { StepKey(debtID: debt.id, dueDate: debt.dueDate, stepID: step) }
