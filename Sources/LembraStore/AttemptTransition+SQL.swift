extension AttemptTransition {
    /// The `WHERE` condition an update of `attempts` makes this change under, parenthesised; with
    /// `onlyDueRetries` it takes one argument, the current time (`next_try_at <= ?`).
    var guardClause: String {
        let states = from.subtracting(onlyDueRetries ? [.retry] : []).map(\.rawValue).sorted()
        let plain = "state IN (\(states.map { "'\($0)'" }.joined(separator: ", ")))"
        return onlyDueRetries ? "(\(plain) OR (state = 'retry' AND next_try_at <= ?))" : "(\(plain))"
    }
}
