import Foundation
import LembraCore
import Testing

/// What `lembra restore` counts as maybe sent since a backup: every step that fell due in the
/// interval, whether it would have gone out at once or waited (window, caps, pause, dispute).
@Suite struct PlannerRestoreTests {
    /// One segment with two steps a few days apart, an upcoming notice and a thank-you.
    static let policy = CollectionPolicy(
        segments: [SegmentRule(name: "late")],
        ladders: ["late": Ladder(name: "late", steps: [
            LadderStep(id: "late.1d", at: 1, channel: "email", template: "friendly"),
            LadderStep(id: "late.4d", at: 4, channel: "sms", template: "friendly-sms"),
        ])],
        upcoming: Ladder(name: "upcoming", steps: [LadderStep(id: "upcoming.-3d", at: -3, channel: "email", template: "upcoming")]),
        onPaid: Ladder(name: "on_paid", steps: [LadderStep(id: "on_paid.thanks", at: 0, channel: "email", template: "thanks")]),
        timeZone: Zone.saoPaulo)
    let planner = Planner(policy: PlannerRestoreTests.policy)

    func keys(_ c: CustomerCase, from: String, through: String) -> [String] {
        planner.mayHaveGoneOut(c, from: instant(from), through: instant(through)).flatMap { $0.items.map(\.key.description) }
    }

    /// Backup on Wednesday 11/11 at 11:00, restore the next Tuesday: the notice of the debt due
    /// 17/11 (on Saturday 14/11), the first step of the one due 10/11 (on Wednesday itself, after
    /// the backup's time maybe) and its second (on Saturday 14/11). Each once.
    @Test func everyStepDueInTheIntervalOnce() {
        let c = CustomerCase(customer: customer(), debts: [debt("d1", due: "2026-11-10"), debt("d2", due: "2026-11-17")])
        #expect(keys(c, from: "2026-11-11T11:00", through: "2026-11-17T09:00").sorted()
                == ["d1/2026-11-10/late.1d", "d1/2026-11-10/late.4d", "d2/2026-11-17/upcoming.-3d"])
    }

    /// Nothing that was already in the ledger, and nothing due only after the interval.
    @Test func notWhatTheLedgerHoldsNorWhatIsDueLater() {
        let d = debt("d1", due: "2026-11-10")
        let c = CustomerCase(customer: customer(), debts: [d], ledger: [key(d, "late.1d")])
        #expect(keys(c, from: "2026-11-11T11:00", through: "2026-11-13T23:00").isEmpty)
    }

    /// A step held at every moment the planner looks (a Sunday, a holiday, a pause, a dispute, an
    /// opt-out, the caps) may still have gone out later: any of them may have lifted after the
    /// backup. All count, as does a thank-you still to send.
    @Test func heldStepsAndPendingThanksCountToo() {
        let d = debt("d1", due: "2026-11-13"), paid = debt("d0", due: "2026-11-01", paidAt: instant("2026-11-05"))
        let recently = [instant("2026-11-13T10:00")]
        let c = CustomerCase(customer: customer(), debts: [d, paid], recentContacts: recently, pausedThrough: day("2026-12-31"),
                             optedOut: true, disputed: ["d1"], thanksDue: ["d0"])
        // Saturday night to Sunday night: the window is shut throughout.
        #expect(keys(c, from: "2026-11-14T21:00", through: "2026-11-15T21:00").sorted() == ["d0/2026-11-01/on_paid.thanks", "d1/2026-11-13/late.1d"])
        #expect(planner.plan(c, now: instant("2026-11-15T10:00")).messages.isEmpty, "the daemon itself would hold them all now")
    }
}
