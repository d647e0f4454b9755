import Foundation
import LembraCore
import Testing

/// November 2026 in São Paulo: Mon 2 and Fri 20 are holidays, Sun 15 too.
@Suite struct PlannerTests {
    let planner = Planner(policy: TestPolicy.make())

    func plan(_ debts: [Debt], at now: String, ledger: Set<StepKey> = [], zone: TimeZone? = nil,
              configure: (inout CustomerCase) -> Void = { _ in }) -> CustomerPlan {
        var c = CustomerCase(customer: customer(zone: zone), debts: debts, ledger: ledger)
        configure(&c)
        return planner.plan(c, now: instant(now))
    }

    @Test func upcomingThreeDaysBefore() throws {
        let d = debt("d1", due: "2026-11-19")
        #expect(plan([d], at: "2026-11-13T10:00").messages.isEmpty) // day -6
        let p = plan([d], at: "2026-11-16T10:00")
        #expect(p.segment == "forgetful")
        let m = try #require(p.messages.first)
        #expect(p.messages.count == 1 && p.held.isEmpty)
        #expect(m.kind == .reminder && m.channel == "email" && m.template == "upcoming" && !m.handoff)
        #expect(m.items.map(\.key) == [key(d, "upcoming.-3d")] && m.items.map(\.day) == [-3])
        #expect(m.superseded.isEmpty && m.stepID == "upcoming.-3d" && m.customerID == "c1")
    }

    @Test func theDueDateStepGoesOutOnTheDueDateAndChecksAgainOnDayOne() throws {
        let d = debt("d1", due: "2026-11-10")
        let early = plan([d], at: "2026-11-09T10:00", ledger: [key(d, "upcoming.-3d")])
        #expect(early.messages.isEmpty && early.held.isEmpty && early.nextCheck["d1"] == .some(instant("2026-11-10")))
        let p = plan([d], at: "2026-11-10T10:00", ledger: [key(d, "upcoming.-3d")])
        let m = try #require(p.messages.first)
        #expect(p.messages.count == 1 && m.template == "due-today" && m.items.map(\.key) == [key(d, "upcoming.0d")] && m.items.map(\.day) == [0])
        #expect(p.nextCheck["d1"] == .some(instant("2026-11-11")))
    }

    @Test func firstOverdueStepOnDayOne() throws {
        let d = debt("d1", due: "2026-11-10")
        let m = try #require(plan([d], at: "2026-11-11T08:00").messages.first)
        #expect(m.template == "friendly" && m.items.map(\.key) == [key(d, "forgetful.1d")] && m.items.map(\.day) == [1])
        // The missed upcoming step is not the overdue ladder's to supersede.
        #expect(m.superseded.isEmpty)
    }

    @Test func afterDowntimeOnlyTheLatestStepGoes() throws {
        let d = debt("d1", due: "2026-11-03")
        let p = plan([d], at: "2026-11-18T10:00") // day 15
        #expect(p.segment == "short_delay")
        let m = try #require(p.messages.first)
        #expect(p.messages.count == 1)
        #expect(m.items.map(\.key) == [key(d, "short_delay.15d")])
        #expect(m.superseded == [key(d, "short_delay.6d")])
        // Steps already in the ledger are not superseded again.
        let again = plan([d], at: "2026-11-18T10:00", ledger: [key(d, "short_delay.6d")])
        #expect(again.messages.first?.superseded == [])
    }

    @Test(arguments: [
        ("2026-11-25T10:00", ["short_delay.6d", "short_delay.15d"], "short_delay.15d#2"),
        ("2026-12-02T10:00", ["short_delay.6d", "short_delay.15d", "short_delay.15d#2"], "short_delay.15d#3"),
        ("2026-12-09T10:00", ["short_delay.6d", "short_delay.15d", "short_delay.15d#2", "short_delay.15d#3"], nil),
    ] as [(String, [String], String?)])
    func repeatsUpToMaxRepeats(now: String, sent: [String], expected: String?) {
        let onlyShortDelay = Planner(policy: TestPolicy.make(segments: [SegmentRule(name: "short_delay")]))
        let d = debt("d1", due: "2026-11-03")
        let p = onlyShortDelay.plan(CustomerCase(customer: customer(), debts: [d], ledger: Set(sent.map { key(d, $0) })), now: instant(now))
        #expect(p.messages.first?.stepID == expected)
        #expect(p.messages.count == (expected == nil ? 0 : 1) && p.held.isEmpty)
        if expected == nil { #expect(p.nextCheck["d1"] == .some(nil)) }
    }

    @Test func alreadyInTheLedgerSendsNothing() {
        let d = debt("d1", due: "2026-11-10")
        let p = plan([d], at: "2026-11-11T10:00", ledger: [key(d, "forgetful.1d")])
        #expect(p.messages.isEmpty && p.held.isEmpty)
        // forgetful.4d; the customer stays forgetful until day 6, so no other ladder is asked.
        #expect(p.nextCheck["d1"] == .some(instant("2026-11-14")))
    }

    @Test func paidDebtsOnlyGetTheirThanksOnce() throws {
        let d = debt("d1", due: "2026-11-10", paidAt: instant("2026-11-12T09:00"))
        let quiet = plan([d], at: "2026-11-12T10:00")
        #expect(quiet.messages.isEmpty && quiet.held.isEmpty && quiet.nextCheck["d1"] == nil)
        let thanked = plan([d], at: "2026-11-12T10:00") { $0.thanksDue = ["d1"] }
        let m = try #require(thanked.messages.first)
        #expect(thanked.messages.count == 1)
        #expect(m.kind == .thanks && m.template == "thanks" && m.items.map(\.key) == [key(d, "on_paid.thanks")])
        let again = plan([d], at: "2026-11-12T11:00", ledger: [key(d, "on_paid.thanks")]) { $0.thanksDue = ["d1"] }
        #expect(again.messages.isEmpty && again.held.isEmpty)
    }

    @Test func disputedDebtsAreHeldUntilResolved() {
        let d = debt("d1", due: "2026-11-10")
        let p = plan([d], at: "2026-11-11T10:00") { $0.disputed = ["d1"] }
        #expect(p.messages.isEmpty)
        #expect(p.held.map(\.reason) == [.disputed] && p.held.map(\.until) == [nil] && p.held.map(\.key) == [key(d, "forgetful.1d")])
        // Still looked at on its step days: what falls due meanwhile is seen held (and `preview`,
        // which plans every debt, shows nothing the tick would not).
        #expect(p.nextCheck["d1"] == .some(instant("2026-11-14")))
    }

    @Test func pausedUntilTheDayAfter() {
        let d = debt("d1", due: "2026-11-10")
        let p = plan([d], at: "2026-11-11T10:00") { $0.pausedThrough = day("2026-11-12") }
        #expect(p.messages.isEmpty)
        #expect(p.held.map(\.reason) == [.paused] && p.held.map(\.until) == [instant("2026-11-13")])
        #expect(p.nextCheck["d1"] == .some(instant("2026-11-13")))
        let forever = plan([d], at: "2026-11-11T10:00") { $0.pausedThrough = .endOfTime }
        #expect(forever.held.map(\.reason) == [.paused] && forever.held.map(\.until) == [nil])
        let over = plan([d], at: "2026-11-11T10:00") { $0.pausedThrough = day("2026-11-10") }
        #expect(over.messages.count == 1)
    }

    @Test func optedOutIsHeldForGood() {
        let p = plan([debt("d1", due: "2026-11-10")], at: "2026-11-11T10:00") { $0.optedOut = true }
        #expect(p.messages.isEmpty && p.held.map(\.reason) == [.optedOut] && p.held.map(\.until) == [nil])
    }

    /// Looked at again when the window opens, or sooner when something may change before:
    /// on Monday 16 (day 6) the customer turns short_delay from midnight.
    @Test(arguments: [
        ("2026-11-11T21:00", nil, HoldReason.outsideWindow, "2026-11-12T08:00", "2026-11-12T08:00"),
        ("2026-11-11T07:59", nil, .outsideWindow, "2026-11-11T08:00", "2026-11-11T08:00"),
        ("2026-11-14T15:00", nil, .outsideWindow, "2026-11-16T08:00", "2026-11-16T00:00"),
        // 08:30 in São Paulo is 07:30 in Manaus: wait for 08:00 there.
        ("2026-11-11T08:30", Zone.manaus, .outsideWindow, "2026-11-11T09:00", "2026-11-11T09:00"),
        ("2026-11-20T10:00", nil, .holiday, "2026-11-21T08:00", "2026-11-21T08:00"),
    ] as [(String, TimeZone?, HoldReason, String, String)])
    func heldUntilTheWindowOpens(now: String, zone: TimeZone?, reason: HoldReason, until: String, check: String) {
        let p = plan([debt("d1", due: "2026-11-10")], at: now, zone: zone)
        #expect(p.messages.isEmpty)
        #expect(p.held.map(\.reason) == [reason] && p.held.map(\.until) == [instant(until)])
        #expect(p.nextCheck["d1"] == .some(instant(check)))
    }

    @Test func debtsDueTogetherAreConsolidated() throws {
        let d1 = debt("d1", due: "2026-11-10"), d2 = debt("d2", due: "2026-11-10", cents: 2_500)
        let p = plan([d1, d2], at: "2026-11-11T10:00")
        #expect(p.segment == "chronic") // two open overdue debts
        let m = try #require(p.messages.first)
        #expect(p.messages.count == 1 && m.template == "firm")
        #expect(m.items.map(\.key) == [key(d1, "chronic.1d"), key(d2, "chronic.1d")])
    }

    @Test func nextCheckIsNeverLaterThanTheNextStep() {
        let d = debt("d1", due: "2026-11-10")
        let occurrences = TestPolicy.allOccurrences(planner.policy)
        for k in -10...45 {
            let ledger = Set(occurrences.filter { $0.day <= k }.map { key(d, $0.stepID) })
            let now = d.dueDate.adding(days: k)
            guard case .some(.some(let next)) = plan([d], at: "\(now.iso)T12:00", ledger: ledger).nextCheck["d1"] else {
                #expect(k >= 29, "no next check on day \(k)")
                continue
            }
            let nextDay = CalendarDate(next, in: Zone.saoPaulo)
            #expect(nextDay > now, "day \(k)")
            // Nothing becomes due between now and the next check, whatever the segment.
            var j = now.adding(days: 1)
            while j < nextDay {
                let p = plan([d], at: "\(j.iso)T12:00", ledger: ledger)
                #expect(p.messages.isEmpty && p.held.isEmpty && p.skipped.isEmpty, "day \(k): something due on \(j) before \(nextDay)")
                j = j.adding(days: 1)
            }
        }
    }
}
