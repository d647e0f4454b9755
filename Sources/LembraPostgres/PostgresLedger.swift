import Foundation
import LembraStore
import Synchronization

/// The ledger on PostgreSQL, shared by several daemons (one per host) and their commands.
///
/// Same guarantees as `SQLiteLedger`, made across daemons: every state change is guarded by its
/// `AttemptTransition`; due customers are leased to one daemon at a time (`PostgresLeases`);
/// `sending` attempts carry their owner and a lease, so recovery takes over only a dead daemon's;
/// and the controls version is per customer, so one customer's pause makes stale only the plans
/// that included them.
///
/// Connections come from a small pool, one per call: the tick's lanes are threads that each
/// block on their own statement, as they do on SQLite. Failures map to `StoreError`: a database
/// that is down, slow past `statement_timeout`, or lost mid-commit is `.busy` (the daemon keeps
/// running and tries again next tick), never a reason to stop.
public final class PostgresLedger: Sendable {
    public let settings: PostgresLedgerSettings
    private let idle = Mutex<[PostgresConnection]>([])
    private let slots: DispatchSemaphore
    /// The connection holding this daemon's id under its advisory lock (`holdDaemonID`); nil in
    /// commands, which lease nothing.
    let daemonIDHolder = Mutex<PostgresConnection?>(nil)

    /// Connects and applies the missing migrations (once, whichever daemon gets there first).
    public init(_ settings: PostgresLedgerSettings) throws(StoreError) {
        self.settings = settings
        slots = DispatchSemaphore(value: max(1, settings.poolSize))
        _ = try withConnection("migrate") { c throws(PostgresError) in
            try PostgresMigrator.migrate(c, PostgresSchema.migrations)
        }
    }

    /// The leases of this daemon, on `connection`.
    func leases(_ connection: PostgresConnection) -> PostgresLeases { PostgresLeases(connection: connection, owner: settings.owner) }

    /// Runs `body` on a pooled connection (waiting for one when all are lent). A connection that
    /// was lost is dropped rather than returned, and the next call opens a fresh one.
    func withConnection<T>(_ operation: String, _ body: (PostgresConnection) throws(PostgresError) -> T) throws(StoreError) -> T {
        slots.wait()
        defer { slots.signal() }
        do throws(PostgresError) {
            let connection = if let pooled = idle.withLock({ $0.popLast() }) { pooled } else { try open() }
            // A connection lost takes the idle ones with it: lost together (a server restart),
            // each would otherwise fail one more call, and a tick, before it is dropped.
            defer { idle.withLock { if connection.isOpen { $0.append(connection) } else { $0.removeAll() } } }
            return try body(connection)
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Runs `body` in one transaction on a pooled connection: committed when it returns, rolled
    /// back when it throws. `body` may throw a `StoreError` of its own (a debt not found, …),
    /// which rolls back and reaches the caller as it is.
    func transaction<T>(_ operation: String, _ body: (PostgresConnection) throws -> T) throws(StoreError) -> T {
        var failure: StoreError?
        do {
            return try withConnection(operation) { c throws(PostgresError) -> T in
                try c.transaction(operation) { () throws(PostgresError) -> T in
                    do { return try body(c) } catch let error as PostgresError { throw error } catch {
                        failure = (error as? StoreError) ?? StoreError(.unavailable, operation, "\(error)")
                        throw PostgresError(operation: operation, message: "rolled back", kind: .failed)
                    }
                }
            }
        } catch {
            throw failure ?? error
        }
    }

    func open() throws(PostgresError) -> PostgresConnection {
        try PostgresConnection(url: settings.url, password: settings.password, statementTimeout: settings.statementTimeout)
    }

    /// What a caller of the ledger sees of a PostgreSQL failure. Transient ones (the server down
    /// or restarting, a statement past its timeout, another writer's conflicting change, a commit
    /// whose fate is unknown) are `.busy`: try again later (the next tick, the inbox's next pass,
    /// a command run again: exit 75). The rest (a bug, a schema that does not match, a database
    /// upgraded by a newer Lembra) are `.unavailable`: the daemon stops.
    static func storeError(_ error: PostgresError) -> StoreError {
        switch error.kind {
        case .conflict:
            StoreError(.busy, error.operation, "another writer changed the same rows of the PostgreSQL ledger at the same moment "
                       + "(\(error.message)); nothing was written, and it may be tried again at once")
        case .unavailable where error.readOnly != nil:
            StoreError(.busy, error.operation, "the PostgreSQL server refused a write (\(error.message)): "
                       + readOnlyReason(error.readOnly ?? .unknown) + "; trying again later")
        case .unavailable, .timeout, .commitUnknown:
            StoreError(.busy, error.operation, "the PostgreSQL ledger is unreachable or slow (\(error.message)); trying again later")
        case .failed:
            StoreError(.unavailable, error.operation, error.description)
        }
    }

    /// What an operator is to do about a refused write: nothing for a failover, which the next
    /// connection follows; turn the setting off for a read-only role or database.
    private static func readOnlyReason(_ cause: ReadOnlyCause) -> String {
        let failover = "it is a standby, as the old primary is after a failover (the next connection looks for the primary)"
        let setting = "Lembra's role, database or server is read-only: default_transaction_read_only is on "
            + "(ALTER ROLE or ALTER DATABASE … SET default_transaction_read_only = off, or postgresql.conf)"
        return switch cause {
        case .standby: failover
        case .readOnlyDefault: setting + ", and every tick fails until it is off"
        case .unknown: failover + ", or " + setting
        }
    }
}
