import Foundation
import LembraCore
import LembraStore
import Testing

/// What the lanes read and record, on every backend: claimed attempts and due retries per
/// channel, oldest first; `sending` marked only from a pending state in the same commit as the
/// last batch's outcomes; an outcome recorded only for an attempt still `sending`.
struct OutcomeContractTests {
    static let now = ContractFixture.now

    @Test(arguments: Backend.allCases) func outcomesMoveOnlySendingAttempts(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let id = try f.claimOne(["d1"])
        try f.ledger.record([(id, .sent)], now: Self.now)
        #expect(try f.sendable() == [id], "still claimed: record ignores attempts not sending")
        #expect(try f.markSending(id))
        #expect(try f.ledger.interrupted(now: Self.now).map(\.id) == [id])
        try f.ledger.record([(id, .retry(at: Self.now.addingTimeInterval(60), reason: "451"))], now: Self.now)
        #expect(try f.sendable().isEmpty && f.ledger.interrupted(now: Self.now).isEmpty)
        let retry = try #require(try f.pending(id, at: Self.now.addingTimeInterval(61)))
        #expect(retry.state == .retry && retry.tries == 1 && retry.reason == "451" && retry.nextTryAt == Self.now.addingTimeInterval(60))
    }

    /// The per-channel read: claimed attempts and due retries of that channel only, oldest first
    /// (ids break ties), at most `limit`; the channels listed are those with one ready.
    @Test(arguments: Backend.allCases) func aChannelsReadMergesClaimedAndDueRetriesInOrder(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let sms = try f.claimOne(["d2"], channel: "sms")
        let retried = try f.claimOne(["d1"], step: "forgetful.1d")
        try f.markSending(retried)
        try f.ledger.record([(retried, .retry(at: Self.now.addingTimeInterval(60), reason: "451"))], now: Self.now)
        let claimed = try (0..<3).map { try f.claimOne(["d1"], step: "forgetful.\($0 + 4)d") }
        let later = Self.now.addingTimeInterval(61)

        #expect(try f.sendable() == claimed.sorted())
        let email = try f.sendable(at: later)
        #expect(Set(email) == Set(claimed + [retried]) && email.count == 4)
        #expect(try f.sendable(at: later, limit: 2) == Array(email.prefix(2)))
        #expect(try f.sendable(at: later, channel: "sms") == [sms])
        #expect(try f.ledger.sendableChannels(now: Self.now) == ["email", "sms"])
        try f.markSending(sms)
        #expect(try f.ledger.sendableChannels(now: Self.now) == ["email"])
        let read = try #require(try f.pending(claimed[0]))
        #expect(read.customerID == "c1" && read.channel == "email" && read.template == "friendly" && read.segment == "forgetful"
                && read.stepID == "forgetful.4d" && !read.handoff && read.state == .claimed && read.tries == 0 && read.payload == Data("x".utf8)
                && read.debtIDs == ["d1"] && read.createdAt == Self.now && read.kind == "reminder")
    }

    /// A payment between the lane's read and its `sending` mark cancels the reminder: the mark
    /// skips it, so it is never sent after the payment.
    @Test(arguments: Backend.allCases) func markingSendingSkipsAttemptsCancelledSinceTheyWereRead(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let paid = try f.claimOne(["d1"])
        let open = try f.claimOne(["d2"])
        let read = try f.sendable()
        #expect(Set(read) == [paid, open])
        try f.importPayment(10_000)
        #expect(try f.ledger.record([], markingSending: read, now: Self.now) == [open])
        #expect(try f.ledger.interrupted(now: Self.now).map(\.id) == [open])
    }

    @Test(arguments: Backend.allCases) func outcomesAndTheNextMarkShareOneCommit(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let first = try f.claimOne(["d1"])
        let second = try f.claimOne(["d2"])
        #expect(try f.ledger.record([], markingSending: [first], now: Self.now) == [first])
        #expect(try f.ledger.record([(first, .sent)], markingSending: [second], now: Self.now) == [second])
        #expect(try f.ledger.interrupted(now: Self.now).map(\.id) == [second])
        #expect(try f.sendable().isEmpty)
    }

    @Test(arguments: Backend.allCases) func markingSendingWaitsForARetrysTime(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let id = try f.claimOne(["d1"])
        #expect(try f.markSending(id))
        let later = Self.now.addingTimeInterval(60)
        #expect(try f.ledger.record([(id, .retry(at: later, reason: "451"))], markingSending: [id], now: Self.now) == [],
                "a retry is not sent before its time")
        #expect(try f.markSending(id, at: later))
    }

    /// A channel down holds what was not sent, without spending a try, until `until`.
    @Test(arguments: Backend.allCases) func aChannelDownHoldsWithoutSpendingATry(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let tried = try f.claimOne(["d1"])
        let waiting = try f.claimOne(["d2"])
        try f.markSending(tried)
        let until = Self.now.addingTimeInterval(300)
        let held = try f.ledger.record([(tried, .channelDown(at: until, reason: "channel_down: refused"))], holding: [waiting], until: until,
                                       reason: "channel_down: refused", now: Self.now)
        #expect(held == [waiting])
        #expect(try f.sendable().isEmpty)
        let back = try f.ledger.pending(now: until, channel: "email", limit: 10).map(\.attempt)
        #expect(Set(back.map(\.id)) == [tried, waiting])
        #expect(back.allSatisfy { $0.state == .retry && $0.tries == 0 && $0.nextTryAt == until && $0.reason == "channel_down: refused" })
    }

    /// What the tick checks again before sending a leftover: the customer's zone and flags, and
    /// whether a debt it covers was paid since.
    @Test(arguments: Backend.allCases) func pendingCarriesTheCustomersFlagsAndTheDebtsState(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let plain = try f.claimOne(["d2"])
        try f.importPayment(10_000)
        // A claim that raced the payment (the planner read the customer just before).
        let paid = try f.claimOne(["d1"], step: "forgetful.4d")
        let before = try f.ledger.pending(now: Self.now, channel: "email", limit: 10)
        #expect(before.first { $0.attempt.id == plain }?.facts == PendingFacts(kind: .reminder))
        #expect(before.first { $0.attempt.id == paid }?.facts == PendingFacts(kind: .reminder, anyDebtPaid: true))
        _ = try f.ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c1", name: "Ana", email: "ana@example.com", timezone: "America/Manaus"))],
                                         now: Self.now)
        let after = try #require(try f.ledger.pending(now: Self.now, channel: "email", limit: 10).first { $0.attempt.id == plain })
        #expect(after.facts.timezone == "America/Manaus")
        #expect(try f.ledger.pending(now: Self.now, channel: "sms", limit: 10).isEmpty)
    }

    @Test(arguments: Backend.allCases) func aDeferralForTheWindowIsNotATryAndLosesNothing(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let id = try f.claimOne(["d1"])
        let opening = Self.now.addingTimeInterval(10 * 3600)
        try f.ledger.settle(waiting: [(id, opening, .outsideWindow)], cancelling: [], now: Self.now)
        #expect(try f.sendable().isEmpty)
        #expect(try f.ledger.record([], markingSending: [id], now: Self.now).isEmpty, "not marked before the window opens")
        let back = try #require(try f.pending(id, at: opening))
        #expect(back.state == .retry && back.tries == 0 && back.reason == "outside_window" && back.nextTryAt == opening)
    }

    @Test(arguments: Backend.allCases) func settleCancelsOnlyWhatIsStillPendingAndGivesItsStepBack(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let pending = try f.claimOne(["d1"])
        let sent = try f.claimOne(["d2"])
        try f.markSending(sent)
        try f.ledger.record([(sent, .sent)], now: Self.now)
        let cancelled = try f.ledger.settle(waiting: [], cancelling: [(pending, .paused), (sent, .paused)], now: Self.now)
        #expect(cancelled == [pending])
        #expect(try f.sendable().isEmpty)
        #expect(try f.steps().map(\.debtID) == ["d2"], "the cancelled claim gave its step back, the sent one keeps it")
    }

    /// A cancelled attempt that may have reached the customer keeps its step: it could only go
    /// again under its own id.
    @Test(arguments: Backend.allCases) func aCancelledAttemptThatMayHaveArrivedKeepsItsStep(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let id = try f.claimOne(["d1"])
        try f.markSending(id)
        try f.ledger.record([(id, .retry(at: Self.now, reason: "timeout", mayHaveArrived: true))], now: Self.now)
        #expect(try f.ledger.settle(waiting: [], cancelling: [(id, .paused)], now: Self.now) == [id])
        #expect(try f.steps().map(\.debtID) == ["d1"])
    }
}
