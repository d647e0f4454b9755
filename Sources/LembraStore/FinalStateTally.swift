import GRDB

/// The attempts a write moved into a final state that `attempt_counts` keeps (`sent`, `skipped`,
/// `cancelled`), added to that table once, after the write's rows: the claim, a group commit's
/// outcomes, a cancel.
///
/// Why a table and not an index: `lembra status` (which every tick with a `metrics_file:` runs) counts
/// attempts by state, and an index over every attempt's state cost the hot path four index
/// writes a message (the claim, the `sending` mark, the outcome) and every skipped step one more.
/// The states an attempt leaves again (`claimed`, `retry`, `sending`, `dead`) and `in_doubt`,
/// which `status` lists, are few and counted through the partial indexes that hold them; the
/// final states grow without end and are counted here. Kept by the writes themselves, one upsert
/// per state, not by a trigger per row, which cost as much as the index did (see BENCHMARKS.md).
/// A final state is never left (`AttemptTransition`), so a count only grows. `check-ledger`
/// compares the table with the attempts themselves.
struct FinalStateTally {
    /// The states counted in `attempt_counts`, in the order their updates are written.
    static let states: [AttemptState] = [.sent, .skipped, .cancelled]

    private var added: [AttemptState: Int64] = [:]

    /// Counts `n` attempts that entered `state` in this transaction; other states are not kept.
    mutating func add(_ state: AttemptState, _ n: Int = 1) {
        guard n > 0, Self.states.contains(state) else { return }
        added[state, default: 0] += Int64(n)
    }

    /// Adds the counts to `attempt_counts`, in `db`'s transaction.
    func save(_ db: Database) throws {
        for state in Self.states {
            guard let n = added[state] else { continue }
            try db.run(Self.addSQL, [.text(state.rawValue), .integer(n)])
        }
    }

    /// An upsert, so a count the table lacks (it never should) is started rather than lost.
    private static let addSQL = "INSERT INTO attempt_counts (state, n) VALUES (?, ?) ON CONFLICT (state) DO UPDATE SET n = n + excluded.n"
}
