import Synchronization

/// The numbers that make attempt ids unique (`ClaimRequest.newAttemptID`): this process's random
/// seed plus a counter, put through splitmix64's finalizer.
///
/// Each id used to draw its own random number, a `getrandom` system call: 2.4% of the ledger's
/// CPU in the tick's profile (skipped and superseded steps get ids too). Adding a counter to one
/// random seed and mixing the sum is a bijection of the counter, so no two ids of one process
/// share a number, and two processes' numbers (two seeds) meet no more often than two random
/// ones; ids also carry the millisecond they were made in.
enum AttemptIDSequence {
    private static let seed = UInt64.random(in: 0...UInt64.max)
    private static let counter = Atomic<UInt64>(0)

    static func next() -> UInt64 {
        let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
        var z = seed &+ n &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
