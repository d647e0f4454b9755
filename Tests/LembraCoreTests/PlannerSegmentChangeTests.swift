import Foundation
import LembraCore
import Testing
import TestSupport

/// A customer whose segment changes with time alone is looked at again that day: the new
/// segment's due step goes out then, not at the next step of the old ladder (or never).
@Suite struct PlannerSegmentChangeTests {
    /// short_delay's last step is on day 6 and chronic's on day 3: after day 6 no ladder has a
    /// step left, but on day 31 (`days_overdue > 30`) the customer turns chronic.
    @Test func crossingThirtyDaysOverdueIsLookedAtThatDay() throws {
        var policy = TestPolicy.make()
        policy.ladders["short_delay"] = Ladder(name: "short_delay", steps: [LadderStep(id: "short_delay.6d", at: 6, channel: "email", template: "second-notice")])
        let planner = Planner(policy: policy)
        let d = debt("d1", due: "2026-10-16") // day 31 is Monday, November 16
        let ledger: Set<StepKey> = [key(d, "upcoming.-3d"), key(d, "upcoming.0d"), key(d, "forgetful.1d"), key(d, "forgetful.4d"), key(d, "short_delay.6d")]
        let c = CustomerCase(customer: customer(), debts: [d], ledger: ledger)
        let before = planner.plan(c, now: instant("2026-11-14T10:00")) // day 29
        #expect(before.segment == "short_delay" && before.messages.isEmpty)
        #expect(before.nextCheck["d1"] == .some(instant("2026-11-16")))
        let after = planner.plan(c, now: instant("2026-11-16T10:00"))
        #expect(after.segment == "chronic")
        let m = try #require(after.messages.first)
        #expect(m.items.map(\.key) == [key(d, "chronic.3d")] && m.superseded == [key(d, "chronic.1d")])
    }

    /// Three late payments make a customer chronic; on the day the oldest leaves the last 12
    /// months (366 days after it was paid) she is short_delay, and short_delay.6d is due.
    @Test func aLatePaymentLeavingTheTwelveMonthsIsLookedAtThatDay() throws {
        var policy = TestPolicy.make()
        policy.ladders["short_delay"] = Ladder(name: "short_delay", steps: [LadderStep(id: "short_delay.6d", at: 6, channel: "email", template: "second-notice"),
                                                                            LadderStep(id: "short_delay.15d", at: 15, channel: "email", template: "offer")])
        let planner = Planner(policy: policy)
        let d = debt("d1", due: "2026-11-10")
        let history = [("2025-11-10", "2025-11-20T10:00"), ("2026-03-10", "2026-03-20T10:00"), ("2026-06-10", "2026-06-20T10:00")].enumerated().map {
            Debt(id: "h\($0.offset)", customerID: "c1", amount: Money(cents: 100), dueDate: day($0.element.0), paidAt: instant($0.element.1))
        }
        let ledger: Set<StepKey> = [key(d, "upcoming.-3d"), key(d, "upcoming.0d"), key(d, "chronic.1d"), key(d, "chronic.3d")]
        let c = CustomerCase(customer: customer(), debts: [d] + history, ledger: ledger)
        let chronic = planner.plan(c, now: instant("2026-11-18T10:00"))
        #expect(chronic.segment == "chronic" && chronic.messages.isEmpty)
        #expect(chronic.nextCheck["d1"] == .some(instant("2026-11-21")), "2025-11-20 + 366 days")
        let after = planner.plan(c, now: instant("2026-11-21T10:00"))
        #expect(after.segment == "short_delay" && after.messages.map(\.stepID) == ["short_delay.6d"])
    }

    /// A handoff step is not held by the caps: one falling due while a reminder waits for the
    /// weekly cap is looked at on its own day, not when the cap lifts.
    @Test func aCapHoldDoesNotPostponeAHandoffStep() {
        let policy = TestPolicy.make(segments: [SegmentRule(name: "chronic")], limits: ContactLimits(minGap: 0, perCustomerPerWeek: 2))
        let planner = Planner(policy: policy)
        let d = debt("d1", due: "2026-11-10")
        let c = CustomerCase(customer: customer(), debts: [d], ledger: [key(d, "upcoming.-3d"), key(d, "upcoming.0d")],
                             recentContacts: [instant("2026-11-08T12:00"), instant("2026-11-10T12:00")])
        let held = planner.plan(c, now: instant("2026-11-11T10:00"))
        #expect(held.held.map(\.reason) == [.weeklyCap] && held.held.map(\.until) == [instant("2026-11-15T12:00")])
        #expect(held.nextCheck["d1"] == .some(instant("2026-11-13")), "chronic.3d (crm) falls due before the cap lifts")
        #expect(planner.plan(c, now: instant("2026-11-13T10:00")).messages.map(\.stepID) == ["chronic.3d"])
    }

    /// `nextChange` against a day-by-day search, for random rules over every metric and operator
    /// and random customers.
    @Test(arguments: 0..<300)
    func nextChangeIsTheFirstDayTheSegmentDiffers(seed: Int) {
        var rng = SeededGenerator(seed: 0x5345_474D &+ UInt64(seed))
        let zone = [Zone.saoPaulo, Zone.manaus, Zone.noronha].randomElement(using: &rng)!
        let today = day("2026-11-18").adding(days: Int.random(in: -30...30, using: &rng))
        var debts: [Debt] = []
        for i in 0..<Int.random(in: 0...6, using: &rng) {
            let due = today.adding(days: Int.random(in: -400...60, using: &rng))
            let paid = Bool.random(using: &rng) ? due.adding(days: Int.random(in: -5...40, using: &rng)).instant(atMinute: Int.random(in: 0..<1440, using: &rng), in: zone) : nil
            debts.append(Debt(id: "d\(i)", customerID: "c1", amount: Money(cents: Int64.random(in: 1...50_000, using: &rng)), dueDate: due, paidAt: paid))
        }
        let rules = Self.randomRules(using: &rng)
        let current = SegmentRule.segment(for: CustomerMetrics(debts: debts, today: today, timeZone: zone), rules: rules)
        let found = SegmentRule.nextChange(from: current, debts: debts, today: today, timeZone: zone, rules: rules)
        let searched = (1...800).lazy.map { today.adding(days: $0) }.first {
            SegmentRule.segment(for: CustomerMetrics(debts: debts, today: $0, timeZone: zone), rules: rules) != current
        }
        #expect(found == searched, "seed \(seed): \(rules.map { "\($0.name): any \($0.any) all \($0.all)" })")
        if let limit = searched {
            #expect(SegmentRule.nextChange(from: current, debts: debts, today: today, timeZone: zone, rules: rules, before: limit) == nil)
        }
    }

    static func randomRules(using rng: inout SeededGenerator) -> [SegmentRule] {
        func condition() -> SegmentCondition {
            let metric = SegmentCondition.Metric.allCases.randomElement(using: &rng)!
            let value: Int64 = switch metric {
            case .daysOverdue: Int64.random(in: -2...60, using: &rng)
            case .latePayments12m, .openOverdue: Int64.random(in: 0...4, using: &rng)
            case .overdueTotal: Int64.random(in: 0...100_000, using: &rng)
            case .avgDaysLate12m: Int64.random(in: 0...20, using: &rng)
            }
            return SegmentCondition(metric: metric, op: SegmentCondition.Operator.allCases.randomElement(using: &rng)!, value: value)
        }
        return (0..<Int.random(in: 1...4, using: &rng)).map { i in
            SegmentRule(name: "s\(i)", any: (0..<Int.random(in: 0...2, using: &rng)).map { _ in condition() },
                        all: (0..<Int.random(in: 0...2, using: &rng)).map { _ in condition() })
        } + [SegmentRule(name: "rest")]
    }
}
