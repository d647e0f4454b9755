import Foundation
import LembraCore
import LembraStore
import Testing

/// `requeue` gives dead attempts a fresh set of tries, but never one that may have arrived, one
/// for a debt paid since, or one a later reminder for the same debt replaced. And a channel that
/// is down makes attempts wait without spending tries.
struct RequeueStoreTests {
    let now = LedgerFixture.now

    /// Claims `m`, marks it sending and records `outcome`; returns its id.
    func attempt(_ f: LedgerFixture, _ m: PlannedMessage, _ outcome: AttemptOutcome, at: Date? = nil,
                 mayHaveArrived: Bool = false) throws -> String {
        let at = at ?? now
        let id = try #require(try f.ledger.claim([ClaimRequest(attemptID: ClaimRequest.newAttemptID(now: at), message: m, payload: Data())], now: at).first)
        _ = try f.ledger.record([], markingSending: [id], now: at)
        if mayHaveArrived {  // an interrupted send, resent: it may have arrived the first time
            try f.ledger.recoverInterrupted([id], to: .claimed, reason: "interrupted_resend", mayHaveArrived: true, now: at)
            _ = try f.ledger.record([], markingSending: [id], now: at)
        }
        try f.ledger.record([(id, outcome)], now: at)
        return id
    }

    @Test func onlyDeadAttemptsThatCannotHaveArrivedAreRequeued() throws {
        let f = try LedgerFixture()
        let plain = try attempt(f, f.message(["d1"]), .dead(reason: "550"))
        let maybe = try attempt(f, f.message(["d2"]), .dead(reason: "out of tries"), mayHaveArrived: true)

        let dry = try f.ledger.requeue(RequeueFilter(), by: "ana", dryRun: true, now: now)
        #expect(dry.requeued.map(\.id) == [plain])
        #expect(dry.refused.map(\.attempt.id) == [maybe] && dry.refused.first?.reason == .mayHaveArrived)
        #expect(try f.ledger.sendable(now: now).isEmpty, "a dry run writes nothing")

        let done = try f.ledger.requeue(RequeueFilter(channel: "email"), by: "ana", dryRun: false, now: now)
        #expect(done.requeued.map(\.id) == [plain])
        let again = try #require(try f.ledger.sendable(now: now).first)
        #expect(again.id == plain && again.state == .retry && again.tries == 0 && again.reason == "requeued")
        #expect(try f.ledger.history(id: "c1").contains { $0.kind == "requeued" && $0.summary.contains("requeued=1 attempts=\(plain) by=ana") })
        #expect(try f.ledger.requeue(RequeueFilter(), by: "ana", dryRun: false, now: now).requeued.isEmpty, "only dead ones")
    }

    @Test func aReminderForAPaidDebtOrReplacedByALaterOneStaysDead() throws {
        let f = try LedgerFixture()
        let old = try attempt(f, f.message(["d1"]), .dead(reason: "550"))
        _ = try attempt(f, f.message(["d1"], step: "forgetful.4d"), .sent, at: now.addingTimeInterval(3 * 86_400))
        let paid = try attempt(f, f.message(["d2"]), .dead(reason: "550"))
        _ = try f.ledger.pay(debtID: "d2", amount: nil, at: now, now: now)
        let result = try f.ledger.requeue(RequeueFilter(customerID: "c1"), by: "ana", dryRun: false, now: now)
        #expect(result.requeued.isEmpty)
        #expect(Dictionary(uniqueKeysWithValues: result.refused.map { ($0.attempt.id, $0.reason) }) == [old: .superseded, paid: .paid])
    }

    /// The stored message states the terms it was written with: after a renegotiation or a
    /// partial payment it would ask for the wrong amount, so it stays dead.
    @Test func aReminderWhoseTermsChangedSinceStaysDead() throws {
        let f = try LedgerFixture()
        let renegotiated = try attempt(f, f.message(["d1"]), .dead(reason: "550"))
        let partlyPaid = try attempt(f, f.message(["d2"]), .dead(reason: "550"))
        let later = now.addingTimeInterval(3600)
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: 8_000),
                                                                   dueDate: CalendarDate(iso: "2026-11-17")!))], now: later)
        #expect(try f.ledger.requeue(RequeueFilter(), by: "ana", dryRun: true, now: later).refused.map(\.reason) == [.termsChanged])
        _ = try f.ledger.pay(debtID: "d2", amount: Money(cents: 1_000), at: later, now: later)
        let result = try f.ledger.requeue(RequeueFilter(), by: "ana", dryRun: false, now: later)
        #expect(result.requeued.isEmpty)
        #expect(Dictionary(uniqueKeysWithValues: result.refused.map { ($0.attempt.id, $0.reason) }) == [renegotiated: .termsChanged, partlyPaid: .termsChanged])
    }

    /// A payment before the reminder was written is in its text already.
    @Test func aChangeBeforeTheReminderWasWrittenDoesNotKeepItDead() throws {
        let f = try LedgerFixture()
        let earlier = now.addingTimeInterval(-60)
        _ = try f.ledger.pay(debtID: "d2", amount: Money(cents: 1_000), at: earlier, now: earlier)
        let id = try attempt(f, f.message(["d2"]), .dead(reason: "550"))
        #expect(try f.ledger.requeue(RequeueFilter(), by: "ana", dryRun: true, now: now).requeued.map(\.id) == [id])
    }

    @Test func aChannelDownOutcomeWaitsWithoutSpendingATry() throws {
        let f = try LedgerFixture()
        let until = now.addingTimeInterval(300)
        let id = try attempt(f, f.message(["d1"]), .channelDown(at: until, reason: "channel_down: step=auth"))
        let waiting = try #require(try f.ledger.sendable(now: until).first)
        #expect(waiting.id == id && waiting.state == .retry && waiting.tries == 0 && waiting.reason == "channel_down: step=auth")

        let held = try #require(try f.claim(f.message(["d2"])).first)
        #expect(try f.ledger.record([], holding: [held, id], until: until, reason: "channel_down: step=tls", now: now) == [held],
                "only what is due now moves: the retry waits until `until`")
        #expect(try f.ledger.sendable(now: until).map(\.tries) == [0, 0])
        #expect(try f.ledger.status().waitingForChannel == ["email": ChannelWait(count: 2, nextTry: until)])
        _ = try attempt(f, f.message(["d1"], step: "forgetful.4d"), .retry(at: now, reason: "451 busy", mayHaveArrived: false))
        #expect(try f.ledger.status().waitingForChannel == ["email": ChannelWait(count: 2, nextTry: until)], "an ordinary retry is not waiting for the channel")
    }
}
