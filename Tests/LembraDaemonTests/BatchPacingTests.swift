@testable import LembraDaemon
import Testing

/// A lane's batches in flight under a `rate:` last about `BatchPacing.seconds` at most together,
/// so the window check made when a lane takes one is never minutes stale; without a rate the
/// batch keeps its size.
struct BatchPacingTests {
    @Test(arguments: [
        (128, nil, 2, 128), (128, 100.0, 2, 128), (128, 2.0, 2, 5), (128, 1.0, 2, 2), (128, 0.1, 2, 1), (256, 2.0, 1, 10),
        (8, nil, 4, 8), (8, 100.0, 4, 8), (8, 4.0, 4, 5), (8, 1.0, 4, 1), (8, 0.5, 1, 2),
    ] as [(Int, Double?, Int, Int)])
    func aLanesBatchesLastAFewSecondsAtTheRate(limit: Int, rate: Double?, inFlight: Int, expected: Int) {
        #expect(BatchPacing.limit(limit, rate: rate, inFlight: inFlight) == expected)
    }
}
