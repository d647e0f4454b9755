import Foundation
import LembraCore
import Testing

/// Several steps on the same day (an e-mail and a CRM task, say) all go out; none supersedes another.
struct PlannerSameDayTests {
    static func policy() -> CollectionPolicy {
        var p = TestPolicy.make(segments: [SegmentRule(name: "chronic")])
        p.ladders["chronic"] = Ladder(name: "chronic", steps: [
            LadderStep(id: "chronic.1d", at: 1, channel: "email", template: "firm"),
            LadderStep(id: "chronic.3d.email", at: 3, channel: "email", template: "firm"),
            LadderStep(id: "chronic.3d.crm", at: 3, channel: "crm", template: "call-task"),
        ])
        return p
    }

    @Test func bothStepsOfTheLatestDayAreSentAndOnlyOlderOnesAreSuperseded() {
        let d1 = debt("d1", due: "2026-11-13"), d2 = debt("d2", due: "2026-11-13")
        let c = CustomerCase(customer: customer(), debts: [d1, d2])
        let plan = Planner(policy: Self.policy()).plan(c, now: instant("2026-11-16T10:00"))
        #expect(plan.segment == "chronic")
        let steps = Set(plan.messages.flatMap { $0.items.map(\.stepID) })
        #expect(steps == ["chronic.3d.email", "chronic.3d.crm"])
        #expect(Set(plan.messages.flatMap(\.superseded)) == [key(d1, "chronic.1d"), key(d2, "chronic.1d")])
        #expect(plan.messages.count == 2, "one e-mail and one CRM task, each listing both debts")
        #expect(plan.messages.allSatisfy { $0.items.count == 2 })
    }

    @Test func theRemainingStepOfADayStillGoesOutWhenTheOtherWasSent() {
        let d1 = debt("d1", due: "2026-11-13")
        let c = CustomerCase(customer: customer(), debts: [d1], ledger: [key(d1, "chronic.3d.email"), key(d1, "chronic.1d")],
                             recentContacts: [instant("2026-11-16T09:00")])
        let plan = Planner(policy: Self.policy()).plan(c, now: instant("2026-11-16T10:00"))
        #expect(plan.messages.map(\.stepID) == ["chronic.3d.crm"], "a handoff ignores min_gap")
        #expect(plan.messages.first?.superseded.isEmpty == true)
    }
}
