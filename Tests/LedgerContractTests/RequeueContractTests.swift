import Foundation
import LembraCore
import LembraStore
import Testing

/// `requeue` on either ledger gives dead attempts a fresh set of tries, but never one that may
/// have arrived, one for a debt paid since, one a later reminder replaced, or one whose terms
/// changed since it was written.
struct RequeueContractTests {
    static let now = ContractFixture.now

    @Test(arguments: Backend.allCases)
    func onlyDeadAttemptsThatCannotHaveArrivedAreRequeued(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let plain = try f.attempt(f.message(["d1"]), .dead(reason: "550"))
        let maybe = try f.attempt(f.message(["d2"]), .dead(reason: "out of tries"), mayHaveArrived: true)

        let dry = try f.ledger.requeue(RequeueFilter(), by: "ana", dryRun: true, now: Self.now)
        #expect(dry.requeued.map(\.id) == [plain])
        #expect(dry.refused.map(\.attempt.id) == [maybe] && dry.refused.first?.reason == .mayHaveArrived)
        #expect(try f.ledger.sendableChannels(now: Self.now).isEmpty, "a dry run writes nothing")

        let done = try f.ledger.requeue(RequeueFilter(channel: "email"), by: "ana", dryRun: false, now: Self.now)
        #expect(done.requeued.map(\.id) == [plain])
        let again = try #require(try f.ledger.pending(now: Self.now, channel: "email", limit: 10).first?.attempt)
        #expect(again.id == plain && again.state == .retry && again.tries == 0 && again.reason == "requeued")
        #expect(try f.ledger.history(id: "c1").contains { $0.kind == "requeued" && $0.summary == "requeued=1 attempts=\(plain) by=ana filter=channel=email" })
        #expect(try f.ledger.requeue(RequeueFilter(), by: "ana", dryRun: false, now: Self.now).requeued.isEmpty, "only dead ones")
    }

    /// The filter narrows by channel, customer and when the attempt died.
    @Test(arguments: Backend.allCases)
    func theFilterNarrowsWhatIsLookedAt(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let id = try f.attempt(f.message(["d1"]), .dead(reason: "550"))
        let dry = { (filter: RequeueFilter) throws -> [String] in try f.ledger.requeue(filter, by: "ana", dryRun: true, now: Self.now).requeued.map(\.id) }
        #expect(try dry(RequeueFilter(channel: "whatsapp")).isEmpty)
        #expect(try dry(RequeueFilter(customerID: "c2")).isEmpty)
        #expect(try dry(RequeueFilter(since: Self.now.addingTimeInterval(1))).isEmpty)
        #expect(try dry(RequeueFilter(channel: "email", customerID: "c1", since: Self.now)) == [id])
    }

    @Test(arguments: Backend.allCases)
    func aReminderForAPaidDebtOrReplacedByALaterOneStaysDead(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let old = try f.attempt(f.message(["d1"]), .dead(reason: "550"))
        _ = try f.attempt(f.message(["d1"], step: "forgetful.4d"), .sent, at: Self.now.addingTimeInterval(3 * 86_400))
        let paid = try f.attempt(f.message(["d2"]), .dead(reason: "550"))
        _ = try f.ledger.pay(debtID: "d2", amount: nil, at: Self.now, now: Self.now)
        let result = try f.ledger.requeue(RequeueFilter(customerID: "c1"), by: "ana", dryRun: false, now: Self.now)
        #expect(result.requeued.isEmpty)
        #expect(Dictionary(uniqueKeysWithValues: result.refused.map { ($0.attempt.id, $0.reason) }) == [old: .superseded, paid: .paid])
    }

    /// The stored message states the terms it was written with: after a renegotiation or a
    /// partial payment it would ask for the wrong amount, so it stays dead.
    @Test(arguments: Backend.allCases)
    func aReminderWhoseTermsChangedSinceStaysDead(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let renegotiated = try f.attempt(f.message(["d1"]), .dead(reason: "550"))
        let partlyPaid = try f.attempt(f.message(["d2"]), .dead(reason: "550"))
        let later = Self.now.addingTimeInterval(3600)
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: 8_000),
                                                                   dueDate: ContractFixture.d1Due))], now: later)
        #expect(try f.ledger.requeue(RequeueFilter(), by: "ana", dryRun: true, now: later).refused.map(\.reason) == [.termsChanged])
        _ = try f.ledger.pay(debtID: "d2", amount: Money(cents: 1_000), at: later, now: later)
        let result = try f.ledger.requeue(RequeueFilter(), by: "ana", dryRun: false, now: later)
        #expect(result.requeued.isEmpty)
        #expect(Dictionary(uniqueKeysWithValues: result.refused.map { ($0.attempt.id, $0.reason) }) == [renegotiated: .termsChanged, partlyPaid: .termsChanged])
    }

    /// A payment before the reminder was written is in its text already.
    @Test(arguments: Backend.allCases)
    func aChangeBeforeTheReminderWasWrittenDoesNotKeepItDead(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let earlier = Self.now.addingTimeInterval(-60)
        _ = try f.ledger.pay(debtID: "d2", amount: Money(cents: 1_000), at: earlier, now: earlier)
        let id = try f.attempt(f.message(["d2"]), .dead(reason: "550"))
        #expect(try f.ledger.requeue(RequeueFilter(), by: "ana", dryRun: true, now: Self.now).requeued.map(\.id) == [id])
    }
}
