import Foundation
import LembraCore
import Testing

/// Steps up to and on the due date: a notice the window holds still goes out in time, or leaves
/// a row; `at: 0d` in any ladder, one due-date notice per debt.
/// October–November 2026 in São Paulo: Sat Oct 31, Sun Nov 1, Mon Nov 2 (a holiday), Sun Nov 15
/// (a holiday), Sun Nov 22.
@Suite struct PlannerDueDateTests {
    static func policy(upcoming: [LadderStep], ladders: [String: [LadderStep]] = [:], segments: [SegmentRule]? = nil,
                       limits: ContactLimits = ContactLimits(minGap: 0, perCustomerPerWeek: 0)) -> CollectionPolicy {
        var p = TestPolicy.make(segments: segments ?? DefaultPolicy.segments, limits: limits)
        p.upcoming = Ladder(name: "upcoming", steps: upcoming)
        for (name, steps) in ladders { p.ladders[name] = Ladder(name: name, steps: steps) }
        return p
    }

    static func step(_ ladder: String, _ at: Int, _ template: String, channel: String = "email") -> LadderStep {
        LadderStep(id: LadderStep.defaultID(ladder: ladder, at: at), at: at, channel: channel, template: template)
    }

    func plan(_ policy: CollectionPolicy, _ debts: [Debt], at now: String, ledger: Set<StepKey> = []) -> CustomerPlan {
        Planner(policy: policy).plan(CustomerCase(customer: customer(), debts: debts, ledger: ledger), now: instant(now))
    }

    /// `-1d` falls on Sunday the 15th: held, it goes out at Monday's opening, the due date.
    @Test func aNoticeHeldTheDayBeforeGoesOutOnTheDueDate() throws {
        let p = Self.policy(upcoming: [Self.step("upcoming", -1, "upcoming")])
        let d = debt("d1", due: "2026-11-16")
        let sunday = plan(p, [d], at: "2026-11-15T10:00")
        #expect(sunday.messages.isEmpty && sunday.held.map(\.reason) == [.holiday])
        #expect(sunday.held.map(\.until) == [instant("2026-11-16T08:00")] && sunday.nextCheck["d1"] == .some(instant("2026-11-16T08:00")))
        let monday = plan(p, [d], at: "2026-11-16T08:00")
        #expect(monday.messages.map(\.stepID) == ["upcoming.-1d"] && monday.messages.first?.items.map(\.day) == [0])
        #expect(monday.skipped.isEmpty)
    }

    /// `-1d` falls on Sunday Nov 1 and the due date is a holiday: no opening is left between
    /// them, so the notice goes out on Saturday, the last day the window opens before.
    @Test func whenTheDueDateIsShutTooItGoesOutTheDayTheWindowLastOpensBefore() throws {
        let p = Self.policy(upcoming: [Self.step("upcoming", -1, "upcoming")])
        let d = debt("d1", due: "2026-11-02")
        let friday = plan(p, [d], at: "2026-10-30T10:00")
        #expect(friday.messages.isEmpty && friday.held.isEmpty)
        #expect(friday.nextCheck["d1"] == .some(instant("2026-10-31")), "looked at again on Saturday")
        let saturday = plan(p, [d], at: "2026-10-31T09:00")
        let m = try #require(saturday.messages.first)
        #expect(saturday.messages.count == 1 && m.items.map(\.key) == [key(d, "upcoming.-1d")] && m.items.map(\.day) == [-2])
        // Saturday's window closes at 14:00: after it, nothing opens before the due date ends.
        let late = plan(p, [d], at: "2026-10-31T15:00")
        #expect(late.held.map(\.reason) == [.outsideWindow] && late.held.map(\.until) == [instant("2026-11-03T08:00")])
        #expect(late.nextCheck["d1"] == .some(instant("2026-11-03")))
        let tuesday = plan(p, [d], at: "2026-11-03T10:00")
        #expect(tuesday.skipped.map(\.key) == [key(d, "upcoming.-1d")] && tuesday.skipped.map(\.reason) == [.expired])
    }

    /// Two notices moved to the same Saturday: only the later one goes, the earlier is superseded.
    @Test func noticesMovedToTheSameDayGoOutAsOne() throws {
        let p = Self.policy(upcoming: [Self.step("upcoming", -2, "upcoming"), Self.step("upcoming", -1, "upcoming")])
        let d = debt("d1", due: "2026-11-02") // -2d is Saturday itself
        let m = try #require(plan(p, [d], at: "2026-10-31T09:00").messages.first)
        #expect(m.items.map(\.key) == [key(d, "upcoming.-1d")] && m.superseded == [key(d, "upcoming.-2d")])
    }

    /// A due-date step on a Sunday due date never goes out early ("vence hoje" on Saturday would
    /// be wrong), and the next day it is recorded skipped with its reason.
    @Test func aDueDateStepTheWindowHoldsAllDayExpiresWithARow() throws {
        let p = Self.policy(upcoming: [Self.step("upcoming", 0, "due-today")])
        let d = debt("d1", due: "2026-11-22")
        #expect(plan(p, [d], at: "2026-11-21T10:00").messages.isEmpty)
        let sunday = plan(p, [d], at: "2026-11-22T10:00")
        #expect(sunday.held.map(\.reason) == [.outsideWindow])
        #expect(sunday.nextCheck["d1"] == .some(instant("2026-11-23")), "looked at again when the due date ends")
        let monday = plan(p, [d], at: "2026-11-23T10:00")
        #expect(monday.skipped.map(\.key) == [key(d, "upcoming.0d")] && monday.skipped.map(\.reason) == [.expired])
        #expect(monday.skipped.first?.message.template == "due-today" && monday.skipped.first?.message.channel == "email")
        #expect(monday.messages.map(\.stepID) == ["forgetful.1d"])
        // Once recorded, it is not recorded again.
        #expect(plan(p, [d], at: "2026-11-23T11:00", ledger: [key(d, "upcoming.0d")]).skipped.isEmpty)
    }

    /// A debt first recorded after its due date had no step up to it due while Lembra knew it:
    /// nothing is recorded as expired. One recorded on the due date had its due-date step due.
    @Test func onlyADebtKnownByItsDueDateHasStepsToExpire() {
        let p = Self.policy(upcoming: [Self.step("upcoming", -3, "upcoming"), Self.step("upcoming", 0, "due-today")])
        var d = debt("d1", due: "2026-11-16")
        d.recordedAt = instant("2026-11-17T09:00")
        #expect(plan(p, [d], at: "2026-11-17T10:00").skipped.isEmpty)
        d.recordedAt = instant("2026-11-16T21:00")
        #expect(plan(p, [d], at: "2026-11-17T10:00").skipped.map(\.key) == [key(d, "upcoming.-3d"), key(d, "upcoming.0d")])
    }

    /// A segment ladder with its own `0d` step words the due-date notice for its customers; the
    /// others get the `upcoming` one. Never both.
    @Test func aSegmentsOwnDueDateStepReplacesTheUpcomingOne() throws {
        let p = Self.policy(upcoming: [Self.step("upcoming", -3, "upcoming"), Self.step("upcoming", 0, "due-today")],
                            ladders: ["chronic": [Self.step("chronic", 0, "firm-today"), Self.step("chronic", 1, "firm")]])
        let d = debt("d1", due: "2026-11-18")
        let history = (1...3).map { i in
            Debt(id: "h\(i)", customerID: "c1", amount: Money(cents: 100), dueDate: day("2026-0\(i + 5)-10"), paidAt: instant("2026-0\(i + 5)-20T10:00"))
        }
        let chronic = plan(p, [d] + history, at: "2026-11-18T10:00", ledger: [key(d, "upcoming.-3d")])
        #expect(chronic.segment == "chronic")
        #expect(chronic.messages.map(\.stepID) == ["chronic.0d"] && chronic.messages.map(\.template) == ["firm-today"])
        let forgetful = plan(p, [d], at: "2026-11-18T10:00", ledger: [key(d, "upcoming.-3d")])
        #expect(forgetful.segment == "forgetful" && forgetful.messages.map(\.stepID) == ["upcoming.0d"])
        // The day after, the chronic customer's due-date step is the one that expired.
        let next = plan(p, [d] + history, at: "2026-11-19T10:00", ledger: [key(d, "upcoming.-3d")])
        #expect(next.skipped.map(\.key) == [key(d, "chronic.0d")] && next.messages.map(\.stepID) == ["chronic.1d"])
    }

    /// The customer turned chronic during the due date, after the upcoming `0d` went out: the
    /// chronic `0d` is not sent too, and is not recorded as expired the next day.
    @Test func oneDueDateNoticeEvenWhenTheSegmentChangesThatDay() {
        let p = Self.policy(upcoming: [Self.step("upcoming", 0, "due-today")],
                            ladders: ["chronic": [Self.step("chronic", 0, "firm-today")]])
        let d = debt("d1", due: "2026-11-18")
        let history = (1...3).map { i in
            Debt(id: "h\(i)", customerID: "c1", amount: Money(cents: 100), dueDate: day("2026-0\(i + 5)-10"), paidAt: instant("2026-0\(i + 5)-20T10:00"))
        }
        let sent: Set<StepKey> = [key(d, "upcoming.0d")]
        let later = plan(p, [d] + history, at: "2026-11-18T15:00", ledger: sent)
        #expect(later.segment == "chronic" && later.messages.isEmpty && later.held.isEmpty)
        #expect(plan(p, [d] + history, at: "2026-11-19T10:00", ledger: sent).skipped.isEmpty)
    }

    /// Held by a cap through the due date, the notice expires with a row the next day.
    @Test func aNoticeACapHoldsPastTheDueDateExpires() {
        let p = Self.policy(upcoming: [Self.step("upcoming", -1, "upcoming")], limits: ContactLimits(minGap: 72 * 3600, perCustomerPerWeek: 3))
        let d = debt("d1", due: "2026-11-18")
        let c = CustomerCase(customer: customer(), debts: [d], recentContacts: [instant("2026-11-16T10:00")])
        let held = Planner(policy: p).plan(c, now: instant("2026-11-17T10:00"))
        #expect(held.held.map(\.reason) == [.minGap])
        #expect(held.nextCheck["d1"] == .some(instant("2026-11-19")), "the due date ends before the cap lifts")
        let after = Planner(policy: p).plan(c, now: instant("2026-11-19T10:00"))
        #expect(after.skipped.map(\.key) == [key(d, "upcoming.-1d")] && after.skipped.map(\.reason) == [.expired])
    }
}
