import Foundation
import LembraCore
import LembraStore

/// Planning cost versus stored debts: a ledger of N debts of which a fraction is due at the
/// measured instant; measures loading the due cases, planning them and saving the next checks.
/// Cost should follow the work due, not N (the `next_check_at` index).
struct PlanningBenchmark {
    /// The measured instant: a Wednesday at 10:00 in São Paulo, inside the window.
    static let now = Timestamp.parse("2026-11-18T10:00:00-03:00", timeZone: TimeZone(identifier: "UTC")!)!
    static let policy = CollectionPolicy(
        segments: DefaultPolicy.segments,
        ladders: ["forgetful": ladder("forgetful"), "short_delay": ladder("short_delay"), "chronic": ladder("chronic")],
        upcoming: ladder("upcoming"), onPaid: ladder("on_paid"), handoffChannels: ["crm"],
        timeZone: TimeZone(identifier: "America/Sao_Paulo")!)

    static func ladder(_ name: String) -> Ladder {
        Ladder(name: name, steps: DefaultPolicy.ladders(channels: ["email", "sms", "crm"])[name]!.map {
            LadderStep(id: LadderStep.defaultID(ladder: name, at: $0.at), at: $0.at, channel: $0.channel, template: $0.template, repeatEvery: $0.repeatEvery)
        })
    }

    /// Builds the ledger: one debt per customer; `dueFraction` of them one day overdue at `now`,
    /// the rest due months ahead. A settling pass (planning everything once, a day earlier)
    /// leaves each debt's `next_check_at` where a running daemon would have left it.
    static func generate(path: String, debts: Int, dueFraction: Double) throws {
        try? FileManager.default.removeItem(atPath: path)
        let ledger = try SQLiteLedger(path: path, create: true)
        let earlier = now.addingTimeInterval(-86_400)
        let today = CalendarDate(now, in: policy.timeZone)
        let dueEvery = max(1, Int((1 / dueFraction).rounded()))
        let batch = 50_000
        for start in stride(from: 0, to: debts, by: batch) {
            let range = start..<min(start + batch, debts)
            _ = try ledger.importCustomers(range.map { Numbered(row: $0, value: Customer(id: "c\($0)", name: "Cliente \($0)", email: "c\($0)@example.com")) }, now: earlier)
            _ = try ledger.importDebts(range.map { i in
                let due = i % dueEvery == 0 ? today.adding(days: -1) : today.adding(days: 60 + i % 300)
                return Numbered(row: i, value: Debt(id: "d\(i)", customerID: "c\(i)", amount: Money(cents: 10_000 + Int64(i % 5000)), dueDate: due))
            }, now: earlier)
        }
        let planner = Planner(policy: policy)
        while true {
            let cases = try ledger.dueCases(now: earlier, limit: batch)
            if cases.isEmpty { break }
            try ledger.saveChecks(cases.map { planner.plan($0, now: earlier) }, now: earlier)
        }
    }

    struct Result {
        var due = 0, messages = 0
        var loadSeconds = 0.0, planSeconds = 0.0, saveSeconds = 0.0
        var total: Double { loadSeconds + planSeconds + saveSeconds }
    }

    /// One planning pass at `now`, as the tick does it (without rendering, claiming or sending).
    static func measure(path: String) throws -> Result {
        let ledger = try SQLiteLedger(path: path)
        var r = Result()
        let t0 = DispatchTime.now()
        let cases = try ledger.dueCases(now: now, limit: 1_000_000)
        let t1 = DispatchTime.now()
        let planner = Planner(policy: policy)
        let plans = cases.map { planner.plan($0, now: now) }
        let t2 = DispatchTime.now()
        try ledger.saveChecks(plans, now: now)
        let t3 = DispatchTime.now()
        r.due = cases.count
        r.messages = plans.reduce(0) { $0 + $1.messages.count }
        r.loadSeconds = seconds(t0, t1); r.planSeconds = seconds(t1, t2); r.saveSeconds = seconds(t2, t3)
        return r
    }

    static func seconds(_ a: DispatchTime, _ b: DispatchTime) -> Double { Double(b.uptimeNanoseconds - a.uptimeNanoseconds) / 1e9 }
}
