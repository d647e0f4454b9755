import Synchronization

/// The parts that make attempt ids unique and ordered (`ClaimRequest.newAttemptID`): for each run
/// of ids made in the same millisecond, a random tag and a count from 1.
///
/// Ids are the key of a unique index, in SQLite and in PostgreSQL, and the sending marks and
/// outcomes find attempts through it. Ids that each drew a random number scattered a tick's
/// claims over the whole index, so every claim rewrote most of its pages and every mark read a
/// different one; ids made one after another now land next to each other. The C replay of the
/// tick measured 54.5 µs a message with scattered ids and 47.0 with ordered ones (BENCHMARKS.md).
///
/// The count restarts with each millisecond rather than running for the whole process, so an id
/// shows how many came before it in its tick, not how many this daemon made since it started
/// (ids reach customers as `Message-ID` and `webhook-id`). Each run draws its own tag, so two
/// runs never share one but by chance: one in 36^10 for two runs of the same millisecond, in one
/// process or in two.
struct AttemptIDSequence {
    /// The process's sequence, shared by its threads.
    static let shared = Mutex(AttemptIDSequence())
    private static let tags = UInt64(3_656_158_440_062_976)  // 36^10
    private static let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    private var ms: UInt64 = 0
    private var count: UInt64 = 0
    /// `att_`, the run's millisecond and its tag: what every id of the run starts with.
    private var prefix: [UInt8] = []

    /// The next id made in millisecond `ms`: `att_`, the milliseconds, the tag (10 digits) and the
    /// count (4 digits, more past 36^4), all in base 36. The run goes on while the milliseconds
    /// stay the same; another millisecond starts a new run with a new tag (one random draw a
    /// run, not one an id). A tick's ids are one run (they share its `now`) and sort in the
    /// order made up to 36^4 (1.68 million) of them; a tick plans at most 10,000 customers.
    /// Past that, ids are one digit longer: still unique, no longer in order. Written as bytes
    /// into the string (three ids a message in the tick's claim; concatenating padded strings
    /// was 2.5% of the claim's profile).
    mutating func next(ms: UInt64, using random: inout some RandomNumberGenerator) -> String {
        if count == 0 || ms != self.ms {
            let tag = UInt64.random(in: 0..<Self.tags, using: &random)
            (self.ms, count) = (ms, 0)
            prefix = Array("att_".utf8) + Array(Self.base36(ms, atLeast: 1).utf8) + Array(Self.base36(tag, atLeast: 10).utf8)
        }
        count += 1
        let (head, n) = (prefix, count)
        let width = Self.width(n, atLeast: 4)
        return String(unsafeUninitializedCapacity: head.count + width) { bytes in
            let end = bytes.initialize(fromContentsOf: head)
            Self.write(n, into: UnsafeMutableBufferPointer(rebasing: bytes[end..<end + width]))
            return end + width
        }
    }

    /// `value` in base 36, with leading zeros up to `minimum` digits, so that ids of one length
    /// sort as their numbers do.
    static func base36(_ value: UInt64, atLeast minimum: Int) -> String {
        let width = width(value, atLeast: minimum)
        return String(unsafeUninitializedCapacity: width) { bytes in
            write(value, into: UnsafeMutableBufferPointer(rebasing: bytes[0..<width]))
            return width
        }
    }

    /// How many base-36 digits `value` takes, and at least `minimum`.
    private static func width(_ value: UInt64, atLeast minimum: Int) -> Int {
        var width = 1, rest = value / 36
        while rest > 0 { width += 1; rest /= 36 }
        return max(width, minimum)
    }

    /// Fills `bytes` with `value`'s last base-36 digits, zeros in front.
    private static func write(_ value: UInt64, into bytes: UnsafeMutableBufferPointer<UInt8>) {
        var rest = value
        for i in bytes.indices.reversed() {
            bytes[i] = digits[Int(rest % 36)]
            rest /= 36
        }
    }
}
