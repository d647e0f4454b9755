import Foundation
@testable import LembraStore
import TestSupport
import Testing

@Suite struct AttemptIDTests {
    /// Ids made in the same millisecond, from several threads at once, never repeat.
    @Test func idsOfOneMillisecondAreUniqueAcrossThreads() async {
        let now = Date(timeIntervalSince1970: 1_795_000_000.123)
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 { group.addTask { (0..<25_000).map { _ in ClaimRequest.newAttemptID(now: now) } } }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(ids.count == 100_000)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.hasPrefix("att_" + String(UInt64(1_795_000_000_123), radix: 36)) })
    }

    /// A millisecond's ids sort in the order they were made, so they land side by side in the
    /// ledger's index of ids; each new millisecond starts its count again under a new tag, so an
    /// id doesn't tell how many the process made before it.
    @Test func idsOfAMillisecondSortInTheOrderMadeAndEachMillisecondCountsAgain() {
        var sequence = AttemptIDSequence()
        var random = SeededGenerator(seed: 14)
        let first = (0..<50_000).map { _ in sequence.next(ms: 1_795_000_000_123, using: &random) }
        let second = (0..<3).map { _ in sequence.next(ms: 1_795_000_000_124, using: &random) }
        let again = sequence.next(ms: 1_795_000_000_123, using: &random)

        #expect(first == first.sorted() && second == second.sorted())
        #expect(first.allSatisfy { $0.count == first[0].count }, "one length within a run, so text order is the count's order")
        #expect(first[0].hasSuffix("0001") && first[1].hasSuffix("0002") && second[0].hasSuffix("0001") && again.hasSuffix("0001"))
        let tag = { (id: String) in id.dropLast(4).suffix(10) }
        #expect(Set([tag(first[0]), tag(second[0]), tag(again)]).count == 3, "each run has its own tag")
        #expect(first.allSatisfy { tag($0) == tag(first[0]) })
        #expect(Set(first + second + [again]).count == first.count + second.count + 1)
        #expect(second[0].hasPrefix("att_" + String(UInt64(1_795_000_000_124), radix: 36)))
        #expect(first[0].count == 4 + 8 + 10 + 4 && first[0].dropFirst(4).allSatisfy { "0123456789abcdefghijklmnopqrstuvwxyz".contains($0) })
    }
}

extension AttemptIDTests {
    /// The digits are Swift's own base 36, padded at the front; a value wider than the padding
    /// keeps all its digits (a run's count past 36^4).
    @Test func digitsAreBase36PaddedAtTheFront() {
        var random = SeededGenerator(seed: 36)
        for _ in 0..<10_000 {
            let value = random.next() >> (random.next() % 64)
            let text = String(value, radix: 36)
            for minimum in [1, 4, 10, 14] {
                #expect(AttemptIDSequence.base36(value, atLeast: minimum) == String(repeating: "0", count: max(0, minimum - text.count)) + text)
            }
        }
        #expect(AttemptIDSequence.base36(36 * 36 * 36 * 36, atLeast: 4) == "10000")
        #expect(AttemptIDSequence.base36(0, atLeast: 4) == "0000")
    }
}
