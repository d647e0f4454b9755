import Foundation
import LembraCore
import Testing
import TestSupport

/// 120 simulated days of one random customer, ticked at a random minute of every hour, with the
/// ledger, contacts and thank-yous kept the way the daemon keeps them.
struct Simulation {
    static let start = day("2026-10-01") // Oct 12, Nov 2, Nov 15, Nov 20, Dec 25 and Jan 1 fall inside
    static let days = 120
    let policy = TestPolicy.make()
    var rng: SeededGenerator
    var state: CustomerCase
    var zone: TimeZone
    /// When each debt gets paid, if it does.
    var payments: [String: Date] = [:]
    var problems: [String] = []

    init(seed: UInt64) {
        rng = SeededGenerator(seed: seed)
        zone = [Zone.saoPaulo, Zone.manaus, Zone.noronha].randomElement(using: &rng)!
        var debts: [Debt] = []
        for i in 0..<Int.random(in: 0...3, using: &rng) { // history that feeds the segments
            let due = Self.start.adding(days: -Int.random(in: 30...300, using: &rng))
            let paid = due.adding(days: Int.random(in: -2...25, using: &rng)).instant(atMinute: 600, in: zone)
            debts.append(Debt(id: "h\(i)", customerID: "c1", amount: Money(cents: 1_000), dueDate: due, paidAt: paid))
        }
        for i in 0..<Int.random(in: 1...4, using: &rng) {
            let due = Self.start.adding(days: Int.random(in: -20...90, using: &rng))
            debts.append(Debt(id: "d\(i)", customerID: "c1", amount: Money(cents: Int64.random(in: 100...500_000, using: &rng)), dueDate: due))
            if Bool.random(using: &rng) {
                payments["d\(i)"] = Self.start.instant(in: zone).addingTimeInterval(Double.random(in: 0..<Double(Self.days * 86_400), using: &rng))
            }
        }
        state = CustomerCase(customer: customer(zone: zone), debts: debts, optedOut: Int.random(in: 0..<10, using: &rng) == 0)
    }

    mutating func run() {
        let planner = Planner(policy: policy)
        var sentKeys: Set<StepKey> = []
        var thanked: Set<String> = []
        for d in 0..<Self.days {
            for hour in 0..<24 {
                let now = Self.start.adding(days: d).instant(atMinute: hour * 60 + Int.random(in: 0..<60, using: &rng), in: Zone.saoPaulo)
                recordPayments(upTo: now)
                let plan = planner.plan(state, now: now)
                check(plan, now: now, sentKeys: &sentKeys, thanked: &thanked)
                checkFirstReminder(plan, now: now)
                state.ledger.formUnion(plan.skipped.map(\.key))
                for m in plan.messages {
                    state.ledger.formUnion(m.items.map(\.key) + m.superseded)
                    if m.kind == .reminder && !m.handoff { state.recentContacts.append(now) }
                    if m.kind == .thanks { state.thanksDue.subtract(m.items.map(\.debt.id)) }
                }
            }
        }
        checkCaps()
    }

    mutating func recordPayments(upTo now: Date) {
        for i in state.debts.indices where state.debts[i].isOpen {
            if let at = payments[state.debts[i].id], at <= now {
                state.debts[i].paidAt = at
                state.thanksDue.insert(state.debts[i].id)
            }
        }
    }

    mutating func check(_ plan: CustomerPlan, now: Date, sentKeys: inout Set<StepKey>, thanked: inout Set<String>) {
        let at = Timestamp.format(now)
        for m in plan.messages {
            if policy.window.closure(at: now, in: zone) != nil { problems.append("\(at): sent outside the window") }
            for item in m.items {
                if !sentKeys.insert(item.key).inserted || state.ledger.contains(item.key) { problems.append("\(at): \(item.key) twice") }
                let current = state.debts.first { $0.id == item.debt.id }!
                switch m.kind {
                case .reminder where !current.isOpen: problems.append("\(at): reminder \(item.key) after payment")
                case .thanks where current.isOpen || !thanked.insert(item.debt.id).inserted:
                    problems.append("\(at): thank-you \(item.key) for an open debt or twice")
                default: break
                }
            }
            for k in m.superseded where !sentKeys.insert(k).inserted { problems.append("\(at): \(k) superseded twice") }
        }
        for k in plan.skipped.map(\.key) where !sentKeys.insert(k).inserted || state.ledger.contains(k) {
            problems.append("\(at): \(k) recorded as skipped after it was sent, superseded or skipped")
        }
    }

    /// Inside the window, a reachable debt with an overdue step due and no overdue reminder yet
    /// goes out now, unless a cap holds it.
    mutating func checkFirstReminder(_ plan: CustomerPlan, now: Date) {
        guard !state.optedOut, policy.window.closure(at: now, in: zone) == nil else { return }
        let today = CalendarDate(now, in: zone)
        let metrics = CustomerMetrics(debts: state.debts, today: today, timeZone: zone)
        guard let segment = SegmentRule.segment(for: metrics, rules: policy.segments), let ladder = policy.ladders[segment] else { return }
        for debt in state.debts where debt.isOpen {
            let overdueStepsInLedger = state.ledger.contains {
                $0.debtID == debt.id && $0.dueDate == debt.dueDate && !$0.stepID.hasPrefix("upcoming")
            }
            let day = today.days(since: debt.dueDate)
            guard !overdueStepsInLedger, day >= 1, ladder.occurrences.contains(where: { (1...day).contains($0.day) }) else { continue }
            let sent = plan.messages.contains { $0.items.contains { $0.debt.id == debt.id } }
            let capped = plan.held.contains { $0.key.debtID == debt.id && [.minGap, .weeklyCap].contains($0.reason) }
            if !sent && !capped { problems.append("\(Timestamp.format(now)): \(debt.id) due on \(debt.dueDate) still has no reminder") }
        }
    }

    mutating func checkCaps() {
        let times = state.recentContacts.sorted()
        for (a, b) in zip(times, times.dropFirst()) where b.timeIntervalSince(a) < policy.limits.minGap {
            problems.append("\(Timestamp.format(a)) and \(Timestamp.format(b)) closer than min_gap")
        }
        for t in times where times.filter({ $0 >= t && $0.timeIntervalSince(t) < 7 * 86_400 }).count > policy.limits.perCustomerPerWeek {
            problems.append("more than \(policy.limits.perCustomerPerWeek) reminders in the week from \(Timestamp.format(t))")
        }
    }
}

@Suite struct PlannerPropertyTests {
    @Test(arguments: 0..<200)
    func invariantsHoldOver120Days(scenario: Int) {
        var simulation = Simulation(seed: 0x4C45_4D42_5241 &+ UInt64(scenario))
        simulation.run()
        #expect(simulation.problems.isEmpty, "seed \(scenario): \(simulation.problems.prefix(5))")
    }

    /// The property test must be able to fail: a planner that ignores the ledger repeats steps.
    @Test func theSimulationCatchesAPlannerThatForgetsTheLedger() {
        var simulation = Simulation(seed: 7)
        simulation.state.debts = [debt("d1", due: "2026-10-05")]
        simulation.payments = [:]
        simulation.state.optedOut = false
        var sentKeys: Set<StepKey> = [], thanked: Set<String> = []
        let now = instant("2026-10-06T10:00", simulation.zone)
        let plan = Planner(policy: simulation.policy).plan(simulation.state, now: now)
        simulation.check(plan, now: now, sentKeys: &sentKeys, thanked: &thanked)
        simulation.check(plan, now: now, sentKeys: &sentKeys, thanked: &thanked)
        // The reminder sent twice, and the two expired steps before the due date recorded twice.
        #expect(plan.skipped.map(\.key.stepID) == ["upcoming.-3d", "upcoming.0d"])
        #expect(simulation.problems.count == 3)
    }
}
