import Foundation
import LembraStore
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
}
