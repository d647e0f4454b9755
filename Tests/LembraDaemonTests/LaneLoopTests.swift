import Dispatch
import Foundation
@testable import LembraDaemon
import LembraStore
import Synchronization
import Testing
import TestSupport

/// A lane that marks ahead asks for its next batch while it sends, never waiting for the planner
/// then; one that doesn't asks only between batches; either way every outcome is handed over
/// exactly once, the last ones included.
struct LaneLoopTests {
    /// Answers each request with the next of `answers` (nil once they run out); keeps what each
    /// request recorded and whether it could wait for the planner.
    final class FakeSource: Sendable {
        let answers: [[Attempt]?]
        let requests = Mutex<[(ids: [String], waiting: Bool)]>([])
        /// Signalled at each request, so a test can wait for one without sleeping.
        let asked = DispatchSemaphore(value: 0)
        init(_ answers: [[Attempt]?]) { self.answers = answers }

        func next(_ outcomes: LaneLoop.Outcomes, waiting: Bool) -> [Attempt]? {
            let count = requests.withLock { r in r.append((outcomes.map(\.id), waiting)); return r.count }
            asked.signal()
            return count <= answers.count ? answers[count - 1] : nil
        }
    }

    /// Three batches of two claimed attempts (a1+a2, a3+a4, a5+a6 in the logs).
    static func batches() throws -> ([[Attempt]], [String: String], TemporaryDirectory) {
        let dir = try TemporaryDirectory("lembra-lane")
        let all = try BatchSourceTests.claimAll(BatchSourceTests.ledger(dir, debts: 6))
        #expect(all.count == 6)
        let names = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($0.element.id, "a\($0.offset + 1)") })
        return ([Array(all[0..<2]), Array(all[2..<4]), Array(all[4..<6])], names, dir)
    }

    static func sent(_ batch: [Attempt]) -> LaneLoop.Outcomes { batch.map { ($0.id, .sent) } }

    static func log(_ source: FakeSource, _ names: [String: String]) -> [String] {
        source.requests.withLock { $0 }.map { r in r.ids.map { names[$0] ?? $0 }.joined(separator: "+") + (r.waiting ? " waiting" : "") }
    }

    @Test func aLaneThatMarksAheadAsksForTheNextBatchWhileItSends() throws {
        let (batches, names, _) = try Self.batches()
        let source = FakeSource(batches)
        var sending = 0
        try LaneLoop(ahead: DispatchQueue(label: "test.lane")).run(next: { source.next($0, waiting: $1) }) { batch in
            sending += 1
            if sending == 1 {
                _ = source.asked.wait(timeout: .now()) // the first request, made before sending
                // The request for the next batch comes while this one is being sent; a lane
                // that asks between batches would never make it, and this wait would time out.
                #expect(source.asked.wait(timeout: .now() + 30) == .success)
            }
            return Self.sent(batch)
        }
        #expect(sending == 3)
        // Each batch's outcomes come one request later; requests made ahead never wait for the
        // planner; the last outcomes, after the source ran dry, in a request of their own.
        #expect(Self.log(source, names) == [" waiting", "", "a1+a2", "a3+a4", "a5+a6 waiting"])
    }

    /// Asked ahead while nothing is queued yet, the source answers at once with an empty batch;
    /// the lane then records what it sent in a request that may wait, before any new batch.
    @Test func aLaneThatFindsNothingQueuedAheadRecordsWhatItSentBeforeWaiting() throws {
        let (batches, names, _) = try Self.batches()
        let source = FakeSource([batches[0], [], batches[1]])
        var sent: [[String]] = []
        try LaneLoop(ahead: DispatchQueue(label: "test.lane")).run(next: { source.next($0, waiting: $1) }) { batch in
            sent.append(batch.map { names[$0.id]! })
            return Self.sent(batch)
        }
        #expect(sent == [["a1", "a2"], ["a3", "a4"]])
        #expect(Self.log(source, names) == [" waiting", "", "a1+a2 waiting", "", "a3+a4 waiting"])
    }

    @Test func aLaneThatDoesNotMarkAheadAsksOnlyBetweenBatches() throws {
        let (batches, names, _) = try Self.batches()
        let source = FakeSource(batches)
        var sending = 0
        try LaneLoop(ahead: nil).run(next: { source.next($0, waiting: $1) }) { batch in
            sending += 1
            #expect(source.requests.withLock { $0.count } == sending) // no request during a send
            return Self.sent(batch)
        }
        #expect(Self.log(source, names) == [" waiting", "a1+a2 waiting", "a3+a4 waiting", "a5+a6 waiting"])
    }

    @Test func aFailedRequestEndsTheLaneWithItsError() throws {
        let (batches, _, _) = try Self.batches()
        for ahead in [DispatchQueue(label: "test.lane"), nil] {
            let calls = Mutex(0)
            var sent = 0
            #expect(throws: StoreError.self) {
                try LaneLoop(ahead: ahead).run(next: { _, _ throws(StoreError) in
                    let n = calls.withLock { $0 += 1; return $0 }
                    if n == 2 { throw StoreError(.unavailable, "mark", "disk full") }
                    return batches[0]
                }) { batch in sent += 1; return Self.sent(batch) }
            }
            #expect(sent == 1)
        }
    }
}
