import CLibpq
import Foundation

/// One connection to PostgreSQL through libpq, used by one thread at a time (the tick's lanes
/// are threads: each holds its own). Statements take their values as parameters, never spliced
/// into the SQL, and answer rows as text. `@unchecked Sendable` so a pool can hand it from
/// thread to thread; it is never used by two at once (`PostgresLedger` checks it out per call).
///
/// libpq rather than PostgresNIO: the ledger's callers are synchronous threads that block on
/// SQLite today, libpq blocks the same way and is Debian's own package; PostgresNIO would put an
/// event loop and its futures under every call and minutes on every build.
public final class PostgresConnection: @unchecked Sendable {
    private let connection: OpaquePointer
    /// Set when the server refused a write as read-only (25006): it is a standby now, after a
    /// failover, or the session started read-only. The pool drops the connection (`isOpen`), and
    /// the next one, opened with the URL's `target_session_attrs=read-write`, finds the new
    /// primary, or the setting as an operator has left it by then. Unguarded, as the connection
    /// itself: one thread at a time (see above).
    private var refusedWrites = false

    /// Connects to `url` (`postgres://user@host:port/db`). `password` comes from a credential
    /// file, never the URL; `statementTimeout` in milliseconds bounds every statement, so a stalled
    /// server fails the call (`.timeout`) instead of hanging the tick.
    public init(url: String, password: String? = nil, statementTimeout: Int? = nil, connectTimeout: Int = 10) throws(PostgresError) {
        // Keepalives and a TCP user timeout: `statement_timeout` is the server's, and a network
        // that drops the connection silently would otherwise block a call for the kernel's two hours.
        var parameters: [(String, String)] = [("dbname", url), ("connect_timeout", String(connectTimeout)),
                                              ("application_name", "lembra"), ("keepalives_idle", "30"),
                                              ("keepalives_interval", "10"), ("keepalives_count", "3"), ("tcp_user_timeout", "60000")]
        if let password { parameters.append(("password", password)) }
        // Warnings and errors only: libpq prints the server's notices on stderr, which is the
        // daemon's log ("relation … already exists, skipping" at every start). Keepalives on the
        // server's side too: a session whose client vanished (a host crash, a cut network) would
        // otherwise keep its locks — a daemon's id among them — for the server's two hours.
        let options = ["-c client_min_messages=warning", "-c tcp_keepalives_idle=30", "-c tcp_keepalives_interval=10",
                       "-c tcp_keepalives_count=3", "-c tcp_user_timeout=60000"]
            + (statementTimeout.map { ["-c statement_timeout=\($0)"] } ?? [])
        parameters.append(("options", options.joined(separator: " ")))
        let connection = Self.connect(parameters)
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { Self.message(PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(connection)
            throw PostgresError(operation: "connect", sqlState: nil, message: message, connectionLost: true)
        }
        self.connection = connection
    }

    deinit { PQfinish(connection) }

    /// Runs one statement with `$1…` parameters (nil is NULL) and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = [], operation: String) throws(PostgresError) -> [PostgresRow] {
        let result = Self.withCStrings(parameters) { values in
            PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        return try rows(of: result, operation: operation)
    }

    /// Runs a script of several statements without parameters (a migration).
    public func execute(script: String, operation: String) throws(PostgresError) {
        _ = try rows(of: PQexec(connection, script), operation: operation)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws. A
    /// connection lost during the `COMMIT` is `.commitUnknown`: it may have been applied.
    @discardableResult
    public func transaction<T>(_ operation: String, _ body: () throws(PostgresError) -> T) throws(PostgresError) -> T {
        try query("BEGIN", operation: operation)
        let value: T
        do {
            value = try body()
        } catch {
            // A lost connection rolls back by itself; the error worth reporting is the first one.
            _ = try? query("ROLLBACK", operation: operation)
            throw error
        }
        try commit(operation)
        return value
    }

    /// Commits the open transaction. A connection lost during the `COMMIT` is `.commitUnknown`:
    /// it may have been applied, so what it wrote must be read back, not assumed lost.
    public func commit(_ operation: String) throws(PostgresError) {
        do {
            try query("COMMIT", operation: operation)
        } catch where error.kind == .unavailable {
            throw PostgresError(operation: operation, message: "the connection was lost during COMMIT: " + error.message, kind: .commitUnknown)
        }
    }

    /// False once the connection is lost: a pool drops it rather than lend it again.
    public var isOpen: Bool { !refusedWrites && PQstatus(connection) == CONNECTION_OK }

    private func rows(of result: OpaquePointer?, operation: String) throws(PostgresError) -> [PostgresRow] {
        defer { PQclear(result) }
        guard let result else {
            throw PostgresError(operation: operation, sqlState: nil, message: Self.message(PQerrorMessage(connection)), connectionLost: true)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY: return []
        case PGRES_TUPLES_OK: return Self.decode(result)
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            let readOnly = state == "25006" ? readOnlyCause : nil
            if readOnly != nil { refusedWrites = true }
            throw PostgresError(operation: operation, sqlState: state, message: primary ?? Self.message(PQerrorMessage(connection)),
                                connectionLost: PQstatus(connection) != CONNECTION_OK, readOnly: readOnly)
        }
    }

    /// Why this session refuses writes, from the settings the server reports to libpq.
    private var readOnlyCause: ReadOnlyCause {
        func reported(_ name: String) -> String? { PQparameterStatus(connection, name).map { String(cString: $0) } }
        return ReadOnlyCause(inHotStandby: reported("in_hot_standby"), defaultReadOnly: reported("default_transaction_read_only"))
    }

    private static func decode(_ result: OpaquePointer) -> [PostgresRow] {
        let names = (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }
        return (0..<PQntuples(result)).map { row in
            var values: [String: String?] = [:]
            for (column, name) in names.enumerated() {
                let c = Int32(column)
                values[name] = PQgetisnull(result, row, c) == 1 ? String?.none : String(cString: PQgetvalue(result, row, c))
            }
            return PostgresRow(values: values)
        }
    }

    private static func connect(_ parameters: [(String, String)]) -> OpaquePointer? {
        // Both lists end with NULL, as `PQconnectdbParams` reads them.
        withCStrings(parameters.map(\.0) + [nil]) { keywords in
            withCStrings(parameters.map(\.1) + [nil]) { values in PQconnectdbParams(keywords, values, 1) }
        }
    }

    /// C strings for `strings` (nil stays NULL), valid inside `body`.
    private static func withCStrings<T>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
        let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }

    /// libpq's message, trimmed of its trailing newline.
    private static func message(_ text: UnsafePointer<CChar>?) -> String {
        text.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "unknown error"
    }
}
