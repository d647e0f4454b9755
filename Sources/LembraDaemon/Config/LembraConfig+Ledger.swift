import LembraStore

extension LembraConfig {
    /// `state_directory:` by default: the shipped unit's `StateDirectory=lembra`.
    public static let defaultStateDirectory = "/var/lib/lembra"

    /// Where the tick keeps its progress file (`ProgressFile`): beside the SQLite file as
    /// `<database>.progress`, or, on PostgreSQL, `<state_directory>/progress` on this host.
    public var progressFile: String {
        postgres == nil ? ProgressFile.path(forDatabase: database) : stateDirectory + "/progress"
    }

    /// The ledger in words, for `check-config`: its kind and where it is, no secret.
    public var ledgerDescription: String {
        guard let postgres else { return "SQLite \(database)" }
        return "PostgreSQL \(database) (pool_size \(postgres.poolSize), statement_timeout \(Duration.text(Double(postgres.statementTimeout) / 1000)), "
            + "lease \(Duration.text(postgres.leaseSeconds)), password \(postgres.password == nil ? "none" : "from password_file"), "
            + "daemon_id \(postgres.owner), state_directory \(stateDirectory))"
    }
}
