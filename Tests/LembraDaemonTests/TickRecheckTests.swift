import Foundation
import LembraCore
@testable import LembraDaemon
import LembraStore
import Testing
import TestSupport

/// Attempts claimed in an earlier tick (retries, claims a crash left unsent, sends a crash
/// interrupted) are checked again by the planner before they go out: never outside the
/// customer's sending window (CDC art. 71), never after a payment, dispute, pause or opt-out.
/// On a real ledger and an outbox; one customer `c0` owing `d0`, due 17/11/2026. November 2026
/// in São Paulo: Fri 20 is a holiday, Sun 22 too.
@Suite struct TickRecheckTests {
    static func at(_ text: String) -> Date { Timestamp.parse(text, timeZone: TimeZone(identifier: "UTC")!)! }
    static let wednesday = at("2026-11-18T10:00:00-03:00")

    /// A ledger with `c0` owing `d0`, an outbox channel and an inbox.
    struct Setup {
        let f: ConfigFixture
        let config: LembraConfig
        let ledger: SQLiteLedger
        var outbox: URL { f.dir.path("out") }
        var inbox: URL { f.dir.path("inbox") }

        init() throws {
            f = try ConfigFixture()
            config = try f.load([ConfigFixture.business, "database: \(f.dir.path("ledger.sqlite").path)",
                                 "inbox: \(f.dir.path("inbox").path)", "templates: \(f.dir.path("templates").path)",
                                 "channels:\n  email: { type: outbox, path: \(f.dir.path("out").path), from: \"Teste <a@b.com>\" }",
                                 ConfigFixture.ladders].joined(separator: "\n"))
            try FileManager.default.createDirectory(at: f.dir.path("inbox"), withIntermediateDirectories: true)
            ledger = try SQLiteLedger(path: config.database, create: true)
            _ = try ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c0", name: "Cliente", email: "c0@cliente.example"))], now: wednesday)
            _ = try ledger.importDebts([Numbered(row: 2, value: Debt(id: "d0", customerID: "c0", amount: Money(cents: 10_000),
                                                                       dueDate: CalendarDate(iso: "2026-11-17")!))], now: wednesday)
        }

        var tick: Tick { Tick(config: config, ledger: ledger, log: Logfmt(write: { _ in })) }

        func run(_ now: String) throws -> TickSummary { try tick.run(now: TickRecheckTests.at(now)) }

        /// Plans and claims what is due at `now` without sending it, as a tick stopped (or
        /// killed) right after its claim commit leaves it.
        func claimOnly(_ now: String) throws -> String {
            var summary = TickSummary()
            let snapshot = try ledger.planningSnapshot(customerIDs: ledger.dueCustomerIDs(now: TickRecheckTests.at(now)), now: TickRecheckTests.at(now))
            let claimed = try tick.claim(snapshot, planner: Planner(policy: config.policy), composer: MessageComposer(config: config),
                                         now: TickRecheckTests.at(now), summary: &summary)
            return try #require(claimed.first?.attempt.id)
        }

        /// A crash while `id` was on the wire: it stays `sending`.
        func interrupt(_ id: String, _ now: String) throws { _ = try ledger.record([], markingSending: [id], now: TickRecheckTests.at(now)) }

        func sentFiles() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: outbox.appendingPathComponent("new").path)) ?? [] }

        func attempt(_ id: String) throws -> String {
            try #require(try ledger.history(id: "c0").first { $0.summary.contains("attempt=\(id)") }).summary
        }
    }

    /// The reviewer's case: the first try at 19:58 fails, its retry is due at about 20:03; a tick
    /// at 23:30 must not send it, but keep it, untried, for Thursday 08:00.
    @Test func aRetryDueAtNightWaitsForTheMorning() throws {
        let s = try Setup()
        try Data().write(to: s.outbox) // a file where the outbox folder should be: the write fails, transiently
        let first = try s.run("2026-11-18T19:58:00-03:00")
        #expect(first.retried == 1 && first.sent == 0)
        try FileManager.default.removeItem(at: s.outbox)

        let night = try s.run("2026-11-18T23:30:00-03:00")
        #expect(night.sent == 0 && night.deferred == 1, "\(night)")
        #expect(s.sentFiles().isEmpty)
        let id = try #require(try s.ledger.history(id: "d0").first { $0.kind == "attempt" }?.summary.split(separator: " ").first?.dropFirst(8))
        #expect(try s.attempt(String(id)).contains("state=retry tries=1 next=2026-11-19T11:00:00Z reason=outside_window"))

        #expect(try s.run("2026-11-19T07:59:00-03:00").sent == 0)
        let morning = try s.run("2026-11-19T08:00:00-03:00")
        #expect(morning.sent == 1 && s.sentFiles().count == 1)
        #expect(try s.attempt(String(id)).contains("state=sent tries=2"), "the same attempt, one real try later")
    }

    /// A claim a crash left unsent on Saturday afternoon waits out Sunday.
    @Test func aClaimACrashLeftUnsentWaitsOutTheWeekend() throws {
        let s = try Setup()
        let id = try s.claimOnly("2026-11-21T13:59:00-03:00")
        let sunday = try s.run("2026-11-22T10:00:00-03:00")
        #expect(sunday.sent == 0 && sunday.deferred == 1, "\(sunday)")
        #expect(try s.attempt(id).contains("state=retry tries=0 next=2026-11-23T11:00:00Z reason=outside_window"))
        #expect(try s.run("2026-11-23T08:00:00-03:00").sent == 1)
        #expect(try s.attempt(id).contains("state=sent tries=1"))
    }

    /// Interrupted mid-send at 19:59 (outbox and webhooks are re-sent after a crash): recovered
    /// at 23:30, it waits for the morning like any retry.
    @Test func anInterruptedSendIsResentOnlyInsideTheWindow() throws {
        let s = try Setup()
        let id = try s.claimOnly("2026-11-18T19:59:00-03:00")
        try s.interrupt(id, "2026-11-18T19:59:00-03:00")
        let night = try s.run("2026-11-18T23:30:00-03:00")
        #expect(night.sent == 0 && night.deferred == 1, "\(night)")
        #expect(try s.attempt(id).contains("reason=outside_window"))
        #expect(try s.run("2026-11-19T08:00:00-03:00").sent == 1)
        #expect(s.sentFiles().count == 1)
    }

    /// The reviewer's case #3: a reminder interrupted mid-send, then `pay`: the next tick sends
    /// the thank-you and cancels the reminder (nothing is in flight at recovery).
    @Test func anInterruptedReminderForADebtPaidMeanwhileIsCancelled() throws {
        let s = try Setup()
        let id = try s.claimOnly("2026-11-18T10:00:00-03:00")
        try s.interrupt(id, "2026-11-18T10:00:00-03:00")
        try s.ledger.pay(debtID: "d0", amount: nil, at: Self.wednesday, now: Self.wednesday)
        let tick = try s.run("2026-11-18T10:05:00-03:00")
        #expect(tick.sent == 1 && tick.cancelled == 1, "only the thank-you: \(tick)")
        #expect(try s.attempt(id).contains("state=cancelled tries=0 reason=paid"))
        #expect(s.sentFiles().count == 1)
    }

    /// The same with the payment dropped in the inbox: ingest runs before recovery, in one tick.
    @Test func aPaymentsFileInTheInboxCancelsAnInterruptedReminderInTheSameTick() throws {
        let s = try Setup()
        let id = try s.claimOnly("2026-11-18T10:00:00-03:00")
        try s.interrupt(id, "2026-11-18T10:00:00-03:00")
        try "debt_id,amount,paid_at\nd0,100.00,2026-11-18\n".write(to: s.inbox.appendingPathComponent("payments-1.csv"), atomically: true, encoding: .utf8)
        let tick = try s.run("2026-11-18T10:05:00-03:00")
        #expect(tick.imported == 1 && tick.sent == 1 && tick.cancelled == 1, "\(tick)")
        #expect(try s.attempt(id).contains("state=cancelled tries=0 reason=paid"))
    }

    /// Interrupted, then disputed, opted out or paused: cancelled at recovery. It may have
    /// arrived, so its step stays taken: lifting the control does not send it again.
    @Test(arguments: ["disputed", "opted_out", "paused"])
    func anInterruptedReminderUnderAControlIsCancelledAndNotSentAgain(control: String) throws {
        let s = try Setup()
        let id = try s.claimOnly("2026-11-18T10:00:00-03:00")
        try s.interrupt(id, "2026-11-18T10:00:00-03:00")
        let now = Self.wednesday
        switch control {
        case "disputed": try s.ledger.dispute(debtID: "d0", reason: "r", now: now)
        case "opted_out": try s.ledger.optOut(customerID: "c0", reason: "r", now: now)
        default: try s.ledger.pause(customerID: "c0", through: nil, reason: "r", now: now)
        }
        let tick = try s.run("2026-11-18T10:05:00-03:00")
        #expect(tick.sent == 0 && tick.cancelled == 1, "\(tick)")
        #expect(try s.attempt(id).contains("state=cancelled tries=0 reason=\(control)"))
        switch control {
        case "disputed": try s.ledger.resolve(debtID: "d0", now: now)
        case "opted_out": try s.ledger.optIn(customerID: "c0", now: now)
        default: try s.ledger.resume(customerID: "c0", now: now)
        }
        #expect(try s.run("2026-11-18T11:00:00-03:00").sent == 0, "it may have arrived: never again under a new id")
        #expect(s.sentFiles().isEmpty)
    }

    /// The reviewer's case #11: paid while paused (open-ended) or opted out; the tick holds the
    /// thank-you; after resume or opt-in the next tick sends it.
    @Test(arguments: [true, false])
    func aThankYouHeldUntilResumeOrOptInGoesOutAfterIt(pause: Bool) throws {
        let s = try Setup()
        if pause {
            try s.ledger.pause(customerID: "c0", through: nil, reason: "travelling", now: Self.wednesday)
        } else {
            try s.ledger.optOut(customerID: "c0", reason: "asked", now: Self.wednesday)
        }
        try s.ledger.pay(debtID: "d0", amount: nil, at: Self.wednesday, now: Self.wednesday)
        let held = try s.run("2026-11-18T10:00:00-03:00")
        #expect(held.sent == 0 && held.held == 1, "\(held)")
        if pause {
            try s.ledger.resume(customerID: "c0", now: Self.wednesday)
        } else {
            try s.ledger.optIn(customerID: "c0", now: Self.wednesday)
        }
        let after = try s.run("2026-11-18T10:05:00-03:00")
        #expect(after.customersPlanned == 1 && after.sent == 1, "\(after)")
        let history = try s.ledger.history(id: "d0")
        #expect(history.contains { $0.summary.contains("step=on_paid") && $0.summary.contains("state=sent") })
        #expect(!history.contains { $0.kind == "waiting" }, "no stale hold: \(history.map(\.summary))")
    }
}
