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

    private var ms: UInt64 = 0
    private var tag: UInt64 = 0
    private var count: UInt64 = 0

    /// The next id made in millisecond `ms`: `att_`, the milliseconds, the tag (10 digits) and the
    /// count (4 digits, more past 36^4), all in base 36. The run goes on while the milliseconds
    /// stay the same; another millisecond starts a new run with a new tag.
    mutating func next(ms: UInt64, using random: inout some RandomNumberGenerator) -> String {
        if count == 0 || ms != self.ms { (self.ms, tag, count) = (ms, UInt64.random(in: 0..<Self.tags, using: &random), 0) }
        count += 1
        return "att_" + String(ms, radix: 36) + Self.base36(tag, digits: 10) + Self.base36(count, digits: 4)
    }

    /// `value` in base 36, with leading zeros up to `digits`, so that ids of one length sort as
    /// their numbers do.
    private static func base36(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 36)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
