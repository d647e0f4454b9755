import Foundation
@testable import LembraDaemon
import Testing

struct RetryPolicyTests {
    @Test(arguments: [(1, 300.0), (2, 600.0), (3, 1200.0), (10, 21_600.0)])
    func backoffDoublesUpToTheCap(tries: Int, base: Double) {
        let p = RetryPolicy()
        #expect(p.delay(afterTries: tries, random: 0.5) == base)
        #expect(p.delay(afterTries: tries, random: 0) == base * 0.8)
        #expect(p.delay(afterTries: tries, random: 0.999_999) < base * 1.2)
    }
}
