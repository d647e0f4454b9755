import Foundation
import GRDB
import LembraCore
@testable import LembraDaemon
import LembraStore
import Testing
import TestSupport

/// `preview` and `run` agree, always: for random policies (segment rules over every metric,
/// ladders with due-date and repeating steps, a handoff channel, caps), random customers and
/// debts (paid history, debts due before and after the start, zones, some without an e-mail),
/// and a random moment of each of 80 days with now and then a payment or a renegotiation, what
/// `preview` shows for that moment (every open debt planned) is exactly what a tick claims or
/// records as skipped then, reading only the customers the `next_check_at` index says are due.
/// On a real ledger file and an outbox channel, through the daemon's own tick.
@Suite struct PreviewTickAgreementTests {
    static let start = CalendarDate(iso: "2026-10-01")! // Oct 12, Nov 2, 15 and 20 and Dec 25 fall inside
    static let days = 80

    @Test(arguments: 0..<48)
    func previewShowsExactlyWhatATickDoes(scenario: Int) throws {
        var rng = SeededGenerator(seed: 0x5052_4556 &+ UInt64(scenario))
        let f = try ConfigFixture()
        var config = try f.load([ConfigFixture.business, "database: \(f.dir.path("ledger.sqlite").path)",
                                 "templates: \(f.dir.path("templates").path)", """
                                 channels:
                                   email: { type: outbox, path: \(f.dir.path("out").path), from: "Teste <a@b.com>" }
                                   crm:   { type: outbox, path: \(f.dir.path("crm").path), from: "Teste <a@b.com>" }
                                 """, ConfigFixture.ladders].joined(separator: "\n"))
        config.policy = Self.randomPolicy(using: &rng)
        let ledger = try SQLiteLedger(path: config.database, create: true)
        let first = Self.start.instant(in: config.timeZone)
        var open = try Self.importRandomCustomers(ledger, now: first, using: &rng)
        let quiet = Logfmt(write: { _ in })
        var compared = 0
        for day in 0..<Self.days {
            let now = Self.start.adding(days: day).instant(atMinute: Int.random(in: 0..<1440, using: &rng), in: config.timeZone)
            try Self.randomEvent(ledger, open: &open, now: now, using: &rng)
            let shown = Self.lines(try Preview(config: config).openDebts(ledger: ledger, at: now, days: 1))
            _ = try Tick(config: config, ledger: ledger, log: quiet).run(now: now)
            let done = try Self.recorded(ledger, at: now)
            #expect(shown == done, "scenario \(scenario), \(Timestamp.format(now)): preview\n\(shown)\nbut the tick\n\(done)\npolicy \(config.policy)")
            if shown != done { return }
            compared += shown.count
        }
        // A test that compares empty lists cannot fail.
        #expect(compared > 0, "scenario \(scenario) sent nothing in \(Self.days) days")
    }

    /// The preview's `send` and `skip` lines, sorted, each with its debts in id order (the
    /// ledger keeps a message's claimed steps by their key, not in the message's order).
    static func lines(_ preview: String) -> [String] {
        preview.split(separator: "\n").map(String.init).filter { $0.hasPrefix("send  ") || $0.hasPrefix("skip  ") }.map { line in
            guard let range = line.range(of: "debts=") else { return line }
            let debts = line[range.upperBound...].prefix { $0 != " " }
            return line.replacingCharacters(in: range.upperBound..<debts.endIndex, with: debts.split(separator: ",").sorted().joined(separator: ","))
        }.sorted()
    }

    /// The attempts the tick at `now` wrote, as `preview` words them: claimed (sent since) or
    /// skipped with its reason. Steps skipped as superseded are not listed by `preview`.
    static func recorded(_ ledger: SQLiteLedger, at now: Date) throws -> [String] {
        let db = try DatabaseQueue(path: ledger.path)
        return try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.state, a.reason, a.customer_id, a.segment, a.step_id, a.channel, a.template,
                       (SELECT group_concat(debt_id, ',') FROM (SELECT debt_id FROM attempt_items WHERE attempt = a.seq ORDER BY debt_id)) AS debts
                FROM attempts a WHERE a.created_at = ? AND COALESCE(a.reason, '') != 'superseded'
                """, arguments: [now.timeIntervalSince1970]).map { r in
                let state: String = r["state"]
                let head = state == "skipped" ? "skip  reason=\(r["reason"] as String? ?? "") " : "send  "
                return head + "customer=\(r["customer_id"] as String) segment=\(r["segment"] as String) step=\(r["step_id"] as String) "
                    + "channel=\(r["channel"] as String) template=\(r["template"] as String) debts=\(r["debts"] as String? ?? "")"
            }.sorted()
        }
    }

    // MARK: - Random data

    static func randomPolicy(using rng: inout SeededGenerator) -> CollectionPolicy {
        let segments = randomSegments(using: &rng)
        var ladders: [String: Ladder] = [:]
        for s in segments where Int.random(in: 0..<6, using: &rng) > 0 {
            ladders[s.name] = randomLadder(s.name, days: 0...40, using: &rng)
        }
        let limits = ContactLimits(minGap: [0, 24 * 3600, 48 * 3600].randomElement(using: &rng)!,
                                   perCustomerPerWeek: [0, 2, 3].randomElement(using: &rng)!)
        let onPaid = Ladder(name: "on_paid", steps: Bool.random(using: &rng) ? [LadderStep(id: "on_paid.friendly", at: 0, channel: "email", template: "friendly")] : [])
        return CollectionPolicy(segments: segments, ladders: ladders, upcoming: randomLadder("upcoming", days: -7...0, using: &rng),
                                onPaid: onPaid, limits: limits, handoffChannels: ["crm"], timeZone: TimeZone(identifier: "America/Sao_Paulo")!)
    }

    static func randomLadder(_ name: String, days: ClosedRange<Int>, using rng: inout SeededGenerator) -> Ladder {
        // `upcoming` always has a step: with `d0-0` (see `importRandomCustomers`) every scenario
        // has something to send or record.
        Ladder(name: name, steps: (0..<Int.random(in: name == "upcoming" ? 1...3 : 0...3, using: &rng)).map { i in
            let at = Int.random(in: 0..<4, using: &rng) == 0 ? 0 : Int.random(in: days, using: &rng)
            let repeats = name != "upcoming" && Int.random(in: 0..<3, using: &rng) == 0
            return LadderStep(id: "\(name).\(at)d.\(i)", at: at, channel: Int.random(in: 0..<4, using: &rng) == 0 ? "crm" : "email",
                              template: "friendly", repeatEvery: repeats ? Int.random(in: 1...10, using: &rng) : nil,
                              maxRepeats: Int.random(in: 0...3, using: &rng))
        })
    }

    /// Up to three rules over thresholds customers cross within the 80 days, then a catch-all.
    static func randomSegments(using rng: inout SeededGenerator) -> [SegmentRule] {
        func condition() -> SegmentCondition {
            let metric = SegmentCondition.Metric.allCases.randomElement(using: &rng)!
            let value: Int64 = switch metric {
            case .daysOverdue: Int64.random(in: 0...45, using: &rng)
            case .latePayments12m, .openOverdue: Int64.random(in: 0...3, using: &rng)
            case .overdueTotal: Int64.random(in: 0...60_000, using: &rng)
            case .avgDaysLate12m: Int64.random(in: 0...15, using: &rng)
            }
            return SegmentCondition(metric: metric, op: SegmentCondition.Operator.allCases.randomElement(using: &rng)!, value: value)
        }
        return (0..<Int.random(in: 0...3, using: &rng)).map { i in
            SegmentRule(name: "s\(i)", any: (0..<Int.random(in: 0...2, using: &rng)).map { _ in condition() },
                        all: (0..<Int.random(in: 0...2, using: &rng)).map { _ in condition() })
        } + [SegmentRule(name: "rest")]
    }

    /// Imports 1–5 customers with a paid history (some of it leaving the 12 months during the
    /// run) and 1–3 open debts each; returns the open debts.
    static func importRandomCustomers(_ ledger: SQLiteLedger, now: Date, using rng: inout SeededGenerator) throws -> [Debt] {
        var customers: [Numbered<Customer>] = [], debts: [Numbered<Debt>] = []
        for c in 0..<Int.random(in: 1...5, using: &rng) {
            let zone = ["America/Sao_Paulo", "America/Manaus", "America/Noronha", nil].randomElement(using: &rng)!
            let email = Int.random(in: 0..<8, using: &rng) == 0 ? nil : "c\(c)@cliente.example"
            customers.append(Numbered(row: c + 2, value: Customer(id: "c\(c)", name: "Cliente \(c)", email: email,
                                                                  phone: email == nil ? "+55 11 91234-5678" : nil, timezone: zone)))
            for h in 0..<Int.random(in: 0...4, using: &rng) {
                let due = start.adding(days: -Int.random(in: 300...420, using: &rng))
                let paid = due.adding(days: Int.random(in: -3...30, using: &rng)).instant(atMinute: 600, in: TimeZone(identifier: "America/Sao_Paulo")!)
                debts.append(Numbered(row: debts.count + 2, value: Debt(id: "h\(c)-\(h)", customerID: "c\(c)", amount: Money(cents: 1_000),
                                                                        dueDate: due, paidAt: paid)))
            }
            for o in 0..<Int.random(in: 1...3, using: &rng) {
                // `d0-0` falls due during the run, and no random event touches it.
                let due = start.adding(days: c == 0 && o == 0 ? Int.random(in: 8...60, using: &rng) : Int.random(in: -45...50, using: &rng))
                debts.append(Numbered(row: debts.count + 2, value: Debt(id: "d\(c)-\(o)", customerID: "c\(c)",
                                                                        amount: Money(cents: Int64.random(in: 1_000...40_000, using: &rng)), dueDate: due)))
            }
        }
        _ = try ledger.importCustomers(customers, now: now)
        _ = try ledger.importDebts(debts, now: now)
        return debts.map(\.value).filter(\.isOpen)
    }

    /// Now and then a payment (whole or partial) or a renegotiation (a new amount or due date).
    static func randomEvent(_ ledger: SQLiteLedger, open: inout [Debt], now: Date, using rng: inout SeededGenerator) throws {
        guard Int.random(in: 0..<8, using: &rng) == 0, let i = open.indices.filter({ open[$0].id != "d0-0" }).randomElement(using: &rng) else { return }
        switch Int.random(in: 0..<3, using: &rng) {
        case 0:
            try ledger.pay(debtID: open[i].id, amount: nil, at: now, now: now)
            open.remove(at: i)
        case 1:
            if let owed = try ledger.balance(of: open[i].id)?.owed, owed.cents > 500 {
                try ledger.pay(debtID: open[i].id, amount: Money(cents: 500), at: now, now: now)
            }
        default:
            open[i].dueDate = open[i].dueDate.adding(days: Int.random(in: 1...20, using: &rng))
            open[i].amount = Money(cents: open[i].amount.cents + 1_000)
            _ = try ledger.importDebts([Numbered(row: 2, value: open[i])], now: now)
        }
    }
}
