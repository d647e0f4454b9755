@testable import LembraDaemon
import Testing

/// A batch under a `rate:` lasts about `BatchPacing.seconds` at most, so the window check made
/// when a lane takes it is never minutes stale; without a rate the batch keeps its size.
struct BatchPacingTests {
    @Test(arguments: [
        (256, nil, 1, 256), (256, 100.0, 1, 256), (256, 2.0, 1, 10), (256, 1.0, 1, 5), (256, 0.1, 1, 1),
        (8, nil, 4, 8), (8, 100.0, 4, 8), (8, 4.0, 4, 5), (8, 1.0, 4, 1), (8, 0.5, 1, 2),
    ] as [(Int, Double?, Int, Int)])
    func aBatchLastsAFewSecondsAtTheRate(limit: Int, rate: Double?, lanes: Int, expected: Int) {
        #expect(BatchPacing.limit(limit, rate: rate, lanes: lanes) == expected)
    }
}
