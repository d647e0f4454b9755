import Foundation
import LembraCore
import Testing

@Suite struct PlannerCapsTests {
    let planner = Planner(policy: TestPolicy.make(limits: ContactLimits(minGap: 48 * 3600, perCustomerPerWeek: 3)))
    let now = instant("2026-11-11T10:00")
    let d = debt("d1", due: "2026-11-10")

    func plan(_ debts: [Debt], contacts: [Date]) -> CustomerPlan {
        planner.plan(CustomerCase(customer: customer(), debts: debts, recentContacts: contacts), now: now)
    }

    func hoursAgo(_ h: Double) -> Date { now.addingTimeInterval(-h * 3600) }

    @Test func minGapHoldsUntilTheGapHasPassed() {
        let p = plan([d], contacts: [hoursAgo(24)])
        #expect(p.messages.isEmpty)
        #expect(p.held.map(\.reason) == [.minGap] && p.held.map(\.key) == [key(d, "forgetful.1d")])
        #expect(p.held.map(\.until) == [hoursAgo(24).addingTimeInterval(48 * 3600)])
        #expect(p.nextCheck["d1"] == .some(instant("2026-11-12T10:00")))
    }

    @Test func minGapIsMeasuredFromTheLatestContact() {
        let p = plan([d], contacts: [hoursAgo(47), hoursAgo(100), hoursAgo(30)])
        #expect(p.held.map(\.until) == [instant("2026-11-12T04:00")]) // 30 h ago + 48 h
    }

    @Test func exactlyMinGapLaterIsAllowed() {
        #expect(plan([d], contacts: [hoursAgo(48)]).messages.count == 1)
    }

    @Test func weeklyCapHoldsUntilTheOldestContactLeavesTheWeek() {
        let contacts = [hoursAgo(50), hoursAgo(6 * 24), hoursAgo(4 * 24), hoursAgo(8 * 24)]
        let p = plan([d], contacts: contacts)
        #expect(p.messages.isEmpty)
        #expect(p.held.map(\.reason) == [.weeklyCap])
        #expect(p.held.map(\.until) == [hoursAgo(6 * 24).addingTimeInterval(7 * 86_400)])
        // Two contacts in the week leave room for a third.
        #expect(plan([d], contacts: [hoursAgo(50), hoursAgo(4 * 24), hoursAgo(8 * 24)]).messages.count == 1)
    }

    @Test func zeroWeeklyCapMeansNoWeeklyLimit() {
        let unlimited = Planner(policy: TestPolicy.make(limits: ContactLimits(minGap: 3600, perCustomerPerWeek: 0)))
        let contacts = (2...10).map { hoursAgo(Double($0 * 12)) }
        #expect(unlimited.plan(CustomerCase(customer: customer(), debts: [d], recentContacts: contacts), now: now).messages.count == 1)
    }

    @Test func handoffIgnoresCapsButTheEmailWaits() throws {
        // d1 is on chronic day 3 (a CRM call task), d2 on chronic day 1 (an e-mail).
        let d1 = debt("d1", due: "2026-11-10"), d2 = debt("d2", due: "2026-11-12")
        let p = planner.plan(CustomerCase(customer: customer(), debts: [d1, d2], ledger: [key(d1, "chronic.1d")],
                                          recentContacts: [instant("2026-11-12T10:00")]), now: instant("2026-11-13T10:00"))
        #expect(p.segment == "chronic")
        let m = try #require(p.messages.first)
        #expect(p.messages.count == 1)
        #expect(m.handoff && m.channel == "crm" && m.items.map(\.key) == [key(d1, "chronic.3d")])
        #expect(p.held.map(\.key) == [key(d2, "chronic.1d")] && p.held.map(\.reason) == [.minGap])
        #expect(p.held.map(\.until) == [instant("2026-11-14T10:00")])
    }

    @Test func oneNonHandoffMessagePerTickTheRestWaitForTheGap() throws {
        // On day 4 of d1 (sms) and day 1 of d2 (e-mail) in the forgetful ladder: two messages, one goes.
        let forgetfulOnly = Planner(policy: TestPolicy.make(segments: [SegmentRule(name: "forgetful")]))
        let d1 = debt("d1", due: "2026-11-07"), d2 = debt("d2", due: "2026-11-10")
        let p = forgetfulOnly.plan(CustomerCase(customer: customer(), debts: [d1, d2], ledger: [key(d1, "forgetful.1d")]), now: now)
        #expect(p.messages.map(\.stepID) == ["forgetful.4d"])
        #expect(p.held.map(\.key) == [key(d2, "forgetful.1d")] && p.held.map(\.reason) == [.minGap])
        #expect(p.held.map(\.until) == [now.addingTimeInterval(48 * 3600)])
    }

    @Test func thanksIgnoreCaps() {
        let paid = debt("d9", due: "2026-11-01", paidAt: hoursAgo(1))
        let p = planner.plan(CustomerCase(customer: customer(), debts: [paid], recentContacts: [hoursAgo(2)], thanksDue: ["d9"]), now: now)
        #expect(p.messages.map(\.kind) == [.thanks] && p.held.isEmpty)
    }
}
