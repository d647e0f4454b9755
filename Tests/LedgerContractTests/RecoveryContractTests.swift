import Foundation
import LembraCore
import LembraStore
import Testing

/// After a crash, on every backend: the attempts left `sending` are found, and recovery moves
/// them back to `claimed` (nothing left) or to `in_doubt`, remembering that a try may have arrived.
struct RecoveryContractTests {
    static let now = ContractFixture.now

    @Test(arguments: Backend.allCases) func interruptedSendsAreFoundAndMovedOnOnce(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let unsent = try f.claimOne(["d1"])
        let doubtful = try f.claimOne(["d2"])
        #expect(try f.ledger.record([], markingSending: [unsent, doubtful], now: Self.now) == [unsent, doubtful])
        let interrupted = try f.ledger.interrupted(now: Self.now)
        #expect(interrupted.map(\.id).sorted() == [unsent, doubtful].sorted())
        #expect(interrupted.allSatisfy { $0.state == .sending && $0.payload == Data("x".utf8) })
        #expect(try f.ledger.markedByAnotherDaemon([unsent, doubtful]).isEmpty, "its own sends: its progress file speaks for them")

        try f.ledger.recoverInterrupted([unsent], to: .claimed, reason: "interrupted_before_send", now: Self.now)
        try f.ledger.recoverInterrupted([doubtful], to: .inDoubt, reason: "interrupted_mid_send", mayHaveArrived: true, now: Self.now)
        #expect(try f.ledger.interrupted(now: Self.now).isEmpty)
        let back = try #require(try f.pending(unsent))
        #expect(back.state == .claimed && back.tries == 0 && back.reason == "interrupted_before_send")
        #expect(try f.sendable() == [unsent], "the one in doubt is never re-sent blindly")
        try f.ledger.recoverInterrupted([unsent, doubtful], to: .inDoubt, reason: "again", now: Self.now)
        #expect(try f.sendable() == [unsent], "only attempts still sending are moved")
    }

    /// An interrupted send recovered as possibly arrived keeps its step when later cancelled.
    @Test(arguments: Backend.allCases) func aRecoveredSendThatMayHaveArrivedKeepsItsStep(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let maybe = try f.claimOne(["d1"])
        let never = try f.claimOne(["d2"])
        #expect(try f.ledger.record([], markingSending: [maybe, never], now: Self.now).count == 2)
        try f.ledger.recoverInterrupted([maybe], to: .claimed, reason: "r", mayHaveArrived: true, now: Self.now)
        try f.ledger.recoverInterrupted([never], to: .claimed, reason: "r", now: Self.now)
        #expect(try f.ledger.settle(waiting: [], cancelling: [(maybe, .paused), (never, .paused)], now: Self.now) == [maybe, never])
        #expect(try f.steps().map(\.debtID) == ["d1"])
    }
}
