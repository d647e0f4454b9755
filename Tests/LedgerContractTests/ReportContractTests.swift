import Foundation
import LembraCore
import LembraStore
import Testing

/// `status` and `history` on either ledger: the same numbers and the same lines from the same
/// ledger contents.
struct ReportContractTests {
    static let now = ContractFixture.now

    @Test(arguments: Backend.allCases)
    func statusCountsOpenDebtsOwedAmountsAndAttempts(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        var status = try f.ledger.status()
        #expect(status.openDebtsBySegment == ["unplanned": 2])
        #expect(status.openTotalByCurrency.values.sorted() == [15_000] && status.openTotalTooLarge.isEmpty)
        #expect(status.attemptsByState.isEmpty && status.inDoubt.isEmpty && status.recentDead.isEmpty && status.waitingForChannel.isEmpty)

        try f.saveChecks(["d1": nil, "d2": nil])
        _ = try f.ledger.pay(debtID: "d2", amount: Money(cents: 1_000), at: Self.now, now: Self.now)
        let dead = try f.attempt(f.message(["d1"]), .dead(reason: "550 no such user"))
        let doubt = try f.attempt(f.message(["d2"]), .inDoubt(reason: "step=data timeout"))
        let claimed = try #require(try f.claim(f.message(["d1"], step: "forgetful.4d")).first)
        status = try f.ledger.status()
        #expect(status.openDebtsBySegment == ["forgetful": 2])
        #expect(status.openTotalByCurrency.values.sorted() == [14_000])
        #expect(status.attemptsByState == ["dead": 1, "in_doubt": 1, "claimed": 1])
        #expect(status.inDoubt.map(\.id) == [doubt] && status.inDoubt.first?.debtIDs == ["d2"] && status.inDoubt.first?.reason == "step=data timeout")
        #expect(status.recentDead.map(\.id) == [dead] && status.recentDead.first?.payload == Data("x".utf8))
        #expect(claimed != dead)

        _ = try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now)
        status = try f.ledger.status()
        #expect(status.openDebtsBySegment == ["forgetful": 1] && status.openTotalByCurrency.values.sorted() == [4_000])
        #expect(status.attemptsByState == ["dead": 1, "in_doubt": 1, "cancelled": 1])
    }

    /// A channel that is down makes attempts wait without spending tries, and `status` says so.
    @Test(arguments: Backend.allCases)
    func statusShowsWhatWaitsForAChannel(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let until = Self.now.addingTimeInterval(300)
        let id = try f.attempt(f.message(["d1"]), .channelDown(at: until, reason: "channel_down: step=auth"))
        let held = try #require(try f.claim(f.message(["d2"])).first)
        #expect(try f.ledger.record([], holding: [held, id], until: until, reason: "channel_down: step=tls", now: Self.now) == [held])
        #expect(try f.ledger.status().waitingForChannel == ["email": ChannelWait(count: 2, nextTry: until)])
        _ = try f.attempt(f.message(["d1"], step: "forgetful.4d"), .retry(at: Self.now, reason: "451 busy", mayHaveArrived: false))
        #expect(try f.ledger.status().waitingForChannel == ["email": ChannelWait(count: 2, nextTry: until)],
                "an ordinary retry is not waiting for the channel")
    }

    @Test(arguments: Backend.allCases)
    func historyOfADebtOrACustomer(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let next = Self.now.addingTimeInterval(300)
        let id = try f.attempt(f.message(["d1", "d2"]), .retry(at: next, reason: "step=rcpt reply_code=451"))
        _ = try f.ledger.pay(debtID: "d2", amount: Money(cents: 1_000), at: Self.now, now: Self.now.addingTimeInterval(1))
        _ = try f.ledger.pause(customerID: "c1", through: CalendarDate(iso: "2026-11-30")!, reason: "travelling", now: Self.now.addingTimeInterval(2))

        let time = { (date: Date) in "T\(Int(date.timeIntervalSince(Self.now)))" }
        let d1 = try f.ledger.history(id: "d1", time: time)
        #expect(d1 == [
            HistoryEntry(at: Self.now, customerID: "c1", debtIDs: ["d1", "d2"], kind: "attempt",
                         summary: "attempt=\(id) step=forgetful.1d channel=email segment=forgetful state=cancelled tries=1 reason=paused"),
        ], "the pause is the customer's, the payment d2's")
        let c1 = try f.ledger.history(id: "c1", time: time)
        #expect(c1.map(\.kind) == ["attempt", "payment", "paused"])
        #expect(c1[1] == HistoryEntry(at: Self.now.addingTimeInterval(1), customerID: "c1", debtIDs: ["d2"], kind: "payment",
                                      summary: "amount_cents=1000 source=pay"))
        #expect(c1[2].summary == "through=2026-11-30 reason=travelling" && c1[2].debtIDs.isEmpty)
        #expect(try f.ledger.history(id: "d2", time: time).map(\.kind) == ["attempt", "payment"])

        let error = try #require(throws: StoreError.self) { try f.ledger.history(id: "nope") }
        #expect(error.kind == .notFound && error.description == "history: no debt or customer 'nope'")
    }

    /// A retry's next try is written with the caller's clock format.
    @Test(arguments: Backend.allCases)
    func aRetryShowsWhenItIsTriedNext(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let id = try f.attempt(f.message(["d1"]), .retry(at: Self.now.addingTimeInterval(300), reason: "step=rcpt reply_code=451"))
        let time = { (date: Date) in "T+\(Int(date.timeIntervalSince(Self.now)))" }
        #expect(try f.ledger.history(id: "d1", time: time).map(\.summary)
                == ["attempt=\(id) step=forgetful.1d channel=email segment=forgetful state=retry tries=1 next=T+300 reason=step=rcpt reply_code=451"])
    }
}
