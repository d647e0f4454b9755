import Foundation
import LembraCore
import LembraStore
import Testing

/// The promise: one reminder per (debt, due date, step), ever — across ticks and processes.
struct ClaimTests {
    @Test func aStepCanBeClaimedOnlyOnce() throws {
        let f = try LedgerFixture()
        #expect(try f.claim(f.message(["d1"])).count == 1)
        #expect(try f.claim(f.message(["d1"])).isEmpty)
        #expect(try f.claim(f.message(["d1"], step: "forgetful.4d")).count == 1, "another step is another reminder")
    }

    @Test func aSecondConnectionCannotClaimTheSameStep() throws {
        let f = try LedgerFixture()
        let other = try SQLiteLedger(path: f.path)
        let m = try f.message(["d1"])
        #expect(try f.claim(m).count == 1)
        #expect(try f.claim(m, on: other).isEmpty)
    }

    @Test func aConsolidatedMessageIsNotClaimedIfAnyOfItsStepsWas() throws {
        let f = try LedgerFixture()
        #expect(try f.claim(f.message(["d1"])).count == 1)
        #expect(try f.claim(f.message(["d1", "d2"])).isEmpty)
        #expect(try f.claim(f.message(["d2"])).count == 1)
    }

    /// The claim writes the attempt and its steps one by one and learns a step is taken from its
    /// unique key: a message whose later step is taken leaves nothing behind, not its attempt nor
    /// its earlier step in either record of claimed steps.
    @Test func aMessageWhoseLaterStepIsTakenLeavesNothingBehind() throws {
        let f = try LedgerFixture()
        #expect(try f.claim(f.message(["d1"])).count == 1)
        #expect(try f.claim(f.message(["d2", "d1"])).isEmpty)
        #expect(try f.ledger.status().attemptsByState.values.reduce(0, +) == 1)
        #expect(try SQLiteLedger.check(path: f.path).isEmpty)
        #expect(try f.claim(f.message(["d2"])).count == 1, "the step given back is free")
    }

    @Test func supersededStepsAreRecordedAsSkippedAndNeverClaimedAgain() throws {
        let f = try LedgerFixture()
        var m = try f.message(["d1"], step: "forgetful.4d")
        let older = StepKey(debtID: "d1", dueDate: CalendarDate(iso: "2026-11-17")!, stepID: "forgetful.1d")
        m.superseded = [older]
        #expect(try f.claim(m).count == 1)
        #expect(try f.claim(f.message(["d1"], step: "forgetful.1d")).isEmpty)
        #expect(try f.ledger.status().attemptsByState["skipped"] == 1)
        let cases = try f.ledger.dueCases(now: LedgerFixture.now.addingTimeInterval(86_400 * 365))
        #expect(cases.first?.ledger.contains(older) == true)
    }

    @Test func outcomesMoveOnlySendingAttempts() throws {
        let f = try LedgerFixture()
        let id = try #require(try f.claim(f.message(["d1"])).first)
        try f.ledger.record([(id, .sent)], now: LedgerFixture.now)
        #expect(try f.ledger.sendable(now: LedgerFixture.now).map(\.id) == [id], "still claimed: record ignores non-sending rows")
        _ = try f.ledger.record([], markingSending: [id], now: LedgerFixture.now)
        #expect(try f.ledger.interrupted(now: LedgerFixture.now).map(\.id) == [id])
        try f.ledger.record([(id, .retry(at: LedgerFixture.now.addingTimeInterval(60), reason: "451"))], now: LedgerFixture.now)
        #expect(try f.ledger.sendable(now: LedgerFixture.now).isEmpty)
        #expect(try f.ledger.sendable(now: LedgerFixture.now.addingTimeInterval(61)).map(\.id) == [id])
        #expect(try f.ledger.sendable(now: LedgerFixture.now.addingTimeInterval(61)).first?.tries == 1)
    }

    /// The tick's per-channel read: claimed attempts and due retries of that channel only, oldest
    /// first (ids break ties), at most `limit`, the same as the unfiltered read restricted to it.
    @Test func sendableForAChannelMergesClaimedAndDueRetriesInOrder() throws {
        let f = try LedgerFixture()
        var sms = try f.message(["d2"])
        sms.channel = "sms"
        let smsID = try #require(try f.claim(sms).first)
        let retried = try #require(try f.claim(f.message(["d1"], step: "forgetful.1d")).first)
        _ = try f.ledger.record([], markingSending: [retried], now: LedgerFixture.now)
        try f.ledger.record([(retried, .retry(at: LedgerFixture.now.addingTimeInterval(60), reason: "451"))], now: LedgerFixture.now)
        let claimed = try (0..<3).map { try #require(try f.claim(f.message(["d1"], step: "forgetful.\($0 + 4)d")).first) }
        let later = LedgerFixture.now.addingTimeInterval(61)

        #expect(try f.ledger.sendable(now: LedgerFixture.now, channel: "email").map(\.id) == claimed.sorted())
        let email = try f.ledger.sendable(now: later, channel: "email").map(\.id)
        #expect(Set(email) == Set(claimed + [retried]))
        #expect(email == (try f.ledger.sendable(now: later).map(\.id).filter { $0 != smsID }))
        #expect(try f.ledger.sendable(now: later, channel: "email", limit: 2).map(\.id) == Array(email.prefix(2)))
        #expect(try f.ledger.sendable(now: later, channel: "sms").map(\.id) == [smsID])
    }

    /// A payment between the tick's read and its `sending` mark cancels the reminder: the mark
    /// skips it, so it is never sent after the payment.
    @Test func markingSendingSkipsAttemptsCancelledSinceTheyWereRead() throws {
        let f = try LedgerFixture()
        let paid = try #require(try f.claim(f.message(["d1"])).first)
        let open = try #require(try f.claim(f.message(["d2"])).first)
        let read = try f.ledger.sendable(now: LedgerFixture.now).map(\.id)
        #expect(Set(read) == [paid, open])
        try f.ledger.pay(debtID: "d1", amount: nil, at: LedgerFixture.now, now: LedgerFixture.now)
        #expect(try f.ledger.record([], markingSending: read, now: LedgerFixture.now) == [open])
        #expect(try f.ledger.interrupted(now: LedgerFixture.now).map(\.id) == [open])
    }

    @Test func outcomesAndTheNextMarkShareOneCommit() throws {
        let f = try LedgerFixture()
        let first = try #require(try f.claim(f.message(["d1"])).first)
        let second = try #require(try f.claim(f.message(["d2"])).first)
        #expect(try f.ledger.record([], markingSending: [first], now: LedgerFixture.now) == [first])
        #expect(try f.ledger.record([(first, .sent)], markingSending: [second], now: LedgerFixture.now) == [second])
        #expect(try f.ledger.interrupted(now: LedgerFixture.now).map(\.id) == [second])
        #expect(try f.ledger.history(id: "d1").contains { $0.summary.contains("attempt=\(first)") && $0.summary.contains("state=sent") })
    }

    @Test func markingSendingWaitsForARetrysTime() throws {
        let f = try LedgerFixture()
        let id = try #require(try f.claim(f.message(["d1"])).first)
        #expect(try f.ledger.record([], markingSending: [id], now: LedgerFixture.now) == [id])
        let later = LedgerFixture.now.addingTimeInterval(60)
        #expect(try f.ledger.record([(id, .retry(at: later, reason: "451"))], markingSending: [id], now: LedgerFixture.now) == [],
                "a retry is not sent before its time")
        #expect(try f.ledger.record([], markingSending: [id], now: later) == [id])
    }
}

