/// A PostgreSQL failure: what Lembra was doing, the server's SQLSTATE when it sent one, and its
/// primary message. Never the DETAIL line: PostgreSQL puts row values there ("Key (id)=(…)"),
/// which may be a customer's data.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// No connection: refused, lost, the server shutting down or starting (class 08, 57P01–57P03),
        /// or out of resources (class 53: too many connections, out of memory, disk full), which
        /// passes or an operator frees, or a server that takes no writes (25006: a standby, the
        /// old primary after a failover), which the pool leaves for a new connection: the daemon
        /// waits rather than stops.
        case unavailable
        /// The statement ran past `statement_timeout` or was cancelled (57014).
        case timeout
        /// Another transaction got there first: a serialization failure or a deadlock (40001,
        /// 40P01), a lock not granted within a `lock_timeout` an administrator set (55P03), or a
        /// unique key another writer took at the same moment (23505). Every insert Lembra makes
        /// on a key that may exist is `ON CONFLICT`, or checked first under the row locks that
        /// order its writers, so a unique violation that still gets through is a race those
        /// locks could not see: the same write, tried again, finds the other's row.
        case conflict
        /// The connection was lost while a `COMMIT` was on its way: it may or may not have been
        /// applied. Not a clean failure to retry: what it wrote must be read back first.
        case commitUnknown
        /// Anything else: a bug or a schema that does not match (the statement will fail again).
        case failed
    }

    public let operation: String
    public let sqlState: String?
    public let message: String
    public let kind: Kind
    /// For a write refused as read-only (25006): which of its causes, as the session reported it.
    public let readOnly: ReadOnlyCause?

    /// An error of Lembra's own making (no server answer behind it).
    public init(operation: String, message: String, kind: Kind) {
        self.operation = operation; self.sqlState = nil; self.message = message; self.kind = kind; self.readOnly = nil
    }

    /// An error from libpq or the server; `connectionLost` when libpq says the connection is gone,
    /// whatever the statement's own error was.
    init(operation: String, sqlState: String?, message: String, connectionLost: Bool, readOnly: ReadOnlyCause? = nil) {
        self.operation = operation; self.sqlState = sqlState; self.message = message
        self.kind = connectionLost ? .unavailable : Self.kind(of: sqlState)
        self.readOnly = readOnly
    }

    private static func kind(of sqlState: String?) -> Kind {
        switch sqlState {
        case "57014": .timeout
        case "40001", "40P01", "55P03", "23505": .conflict
        case "57P01", "57P02", "57P03", "25006": .unavailable
        case let state? where state.hasPrefix("08") || state.hasPrefix("53"): .unavailable
        case nil: .unavailable  // libpq's own failures (no answer from the server) carry no SQLSTATE
        default: .failed
        }
    }

    /// Worth trying again later (the daemon keeps running and retries at the next tick) rather
    /// than a fault in Lembra or its schema.
    public var isTransient: Bool { kind == .unavailable || kind == .timeout || kind == .conflict }

    public var description: String {
        "\(operation): \(message)" + (sqlState.map { " (SQLSTATE \($0))" } ?? "")
    }
}
