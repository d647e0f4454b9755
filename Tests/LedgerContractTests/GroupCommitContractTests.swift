import Foundation
import LembraCore
import LembraStore
import Testing

/// Several lanes' commits at once (`record(group:now:)`), on every backend: each request is
/// applied as alone (its outcomes recorded, its next batch marked `sending` or held) and gets
/// back only its own ids that moved; an attempt cancelled since its lane read it is not marked.
struct GroupCommitContractTests {
    static let now = ContractFixture.now

    @Test(arguments: Backend.allCases) func eachRequestRecordsItsOutcomesAndGetsItsOwnMarks(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let sentOne = try f.claimOne(["d1"]), retriedOne = try f.claimOne(["d2"])
        let nextA = try f.claimOne(["d1"], step: "forgetful.4d"), nextB = try f.claimOne(["d2"], step: "forgetful.4d")
        let held = try f.claimOne(["d1"], step: "forgetful.7d")
        try f.markSending(sentOne)
        try f.markSending(retriedOne)
        let later = Self.now.addingTimeInterval(60)

        let results = f.ledger.record(group: [
            LaneCommit([(sentOne, .sent)], markingSending: [nextA]),
            LaneCommit([(retriedOne, .retry(at: later, reason: "451"))], markingSending: [nextB]),
            LaneCommit([], holding: [held], until: later, reason: "channel_down: login refused"),
            LaneCommit([]),
        ], now: Self.now)

        #expect(try results.map { try $0.get() } == [[nextA], [nextB], [held], []])
        #expect(Set(try f.ledger.interrupted(now: Self.now).map(\.id)) == [nextA, nextB])
        let retry = try #require(try f.pending(retriedOne, at: later))
        #expect(retry.state == .retry && retry.tries == 1 && retry.reason == "451")
        let waiting = try #require(try f.pending(held, at: later))
        #expect(waiting.state == .retry && waiting.tries == 0 && waiting.reason == "channel_down: login refused")
        #expect(try f.pending(sentOne, at: later) == nil, "sent: no longer pending")
        #expect(f.ledger.record(group: [], now: Self.now).isEmpty)
    }

    /// A payment between the lanes' read and their group's commit cancels a reminder: the group
    /// marks the other lane's batch and not it, and tells the lane that read it so.
    @Test(arguments: Backend.allCases) func anAttemptCancelledSinceItWasReadIsNotMarkedInAGroup(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let paid = try f.claimOne(["d1"])
        let open = try f.claimOne(["d2"])
        #expect(Set(try f.sendable()) == [paid, open])
        try f.importPayment(10_000)
        let results = f.ledger.record(group: [LaneCommit([], markingSending: [paid]), LaneCommit([], markingSending: [open])], now: Self.now)
        #expect(try results.map { try $0.get() } == [[], [open]])
        #expect(try f.ledger.interrupted(now: Self.now).map(\.id) == [open])
    }
}
