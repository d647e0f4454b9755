import Dispatch
import Foundation
@testable import LembraDaemon
import LembraStore
import Synchronization
import Testing
import TestSupport

/// A lane that marks ahead asks for its next batch while it sends; one that doesn't asks only
/// between batches; either way every outcome is handed over exactly once, the last ones included.
struct LaneLoopTests {
    /// Hands out `batches` in order, then nil; keeps what each request recorded.
    final class FakeSource: Sendable {
        let batches: [[Attempt]]
        let recorded = Mutex<[[String]]>([])
        /// Signalled at each request, so a test can wait for one without sleeping.
        let asked = DispatchSemaphore(value: 0)
        init(_ batches: [[Attempt]]) { self.batches = batches }

        func next(_ outcomes: LaneLoop.Outcomes) -> [Attempt]? {
            let count = recorded.withLock { r in r.append(outcomes.map(\.id)); return r.count }
            asked.signal()
            return count <= batches.count ? batches[count - 1] : nil
        }
    }

    static func attempts() throws -> ([[Attempt]], TemporaryDirectory) {
        let dir = try TemporaryDirectory("lembra-lane")
        let all = try BatchSourceTests.claimAll(BatchSourceTests.ledger(dir, debts: 6))
        #expect(all.count == 6)
        return ([Array(all[0..<2]), Array(all[2..<4]), Array(all[4..<6])], dir)
    }

    static func sent(_ batch: [Attempt]) -> LaneLoop.Outcomes { batch.map { ($0.id, .sent) } }

    @Test func aLaneThatMarksAheadAsksForTheNextBatchWhileItSends() throws {
        let (batches, _) = try Self.attempts()
        let source = FakeSource(batches)
        var sending = 0
        try LaneLoop(ahead: DispatchQueue(label: "test.lane")).run(next: { source.next($0) }) { batch in
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
        // The first two requests record nothing (no batch was sent yet when each was made);
        // each batch's outcomes come one request later, the last after the source ran dry.
        #expect(source.recorded.withLock { $0 } == [[], []] + batches.map { $0.map(\.id) })
    }

    @Test func aLaneThatDoesNotMarkAheadAsksOnlyBetweenBatches() throws {
        let (batches, _) = try Self.attempts()
        let source = FakeSource(batches)
        var sending = 0
        try LaneLoop(ahead: nil).run(next: { source.next($0) }) { batch in
            sending += 1
            #expect(source.recorded.withLock { $0.count } == sending) // no request during a send
            return Self.sent(batch)
        }
        #expect(source.recorded.withLock { $0 } == [[]] + batches.map { $0.map(\.id) })
    }

    @Test func aFailedRequestEndsTheLaneWithItsError() throws {
        let (batches, _) = try Self.attempts()
        for ahead in [DispatchQueue(label: "test.lane"), nil] {
            let calls = Mutex(0)
            var sent = 0
            #expect(throws: StoreError.self) {
                try LaneLoop(ahead: ahead).run(next: { _ throws(StoreError) in
                    let n = calls.withLock { $0 += 1; return $0 }
                    if n == 2 { throw StoreError(.unavailable, "mark", "disk full") }
                    return batches[0]
                }) { batch in sent += 1; return Self.sent(batch) }
            }
            #expect(sent == 1)
        }
    }
}
