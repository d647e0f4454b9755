import LembraStore

extension AttemptTransition {
    /// The `WHERE` condition an update of `attempts` makes this change under on PostgreSQL,
    /// parenthesised: the same states as the SQLite ledger's guard, written from the same table.
    /// With `onlyDueRetries`, `now` names the parameter holding the current time (`$3`).
    func postgresGuard(now: String? = nil) -> String {
        let states = from.subtracting(onlyDueRetries ? [.retry] : []).map(\.rawValue).sorted()
        let plain = "state IN (\(states.map { "'\($0)'" }.joined(separator: ", ")))"
        guard onlyDueRetries else { return "(\(plain))" }
        guard let now else { preconditionFailure("\(rawValue) moves a retry only once its time has come: it needs the current time") }
        return "(\(plain) OR (state = 'retry' AND next_try_at <= \(now)))"
    }
}
