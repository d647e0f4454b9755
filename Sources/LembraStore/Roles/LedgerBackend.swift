/// Every role of the ledger, as one backend provides them: `SQLiteLedger` (the embedded
/// default, one host) or the PostgreSQL ledger (several daemons on one database). The daemon and
/// the commands hold one of these; what only one backend has (a SQLite file's backup, lock and
/// identity checks) stays on that backend's own type.
public typealias LedgerBackend = LedgerClaims & LedgerControls & LedgerImports & LedgerReports
