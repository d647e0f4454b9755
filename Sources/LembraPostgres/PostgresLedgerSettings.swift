import Foundation

/// How a daemon reaches the shared ledger (`database: postgres://…` in the config).
public struct PostgresLedgerSettings: Sendable {
    /// `postgres://user@host:port/db`, without a password.
    public var url: String
    /// Read from the config's credential file, never from the URL or the config itself.
    public var password: String?
    /// Connections held at most: one per lane sending at once, plus the planner's.
    public var poolSize: Int
    /// Milliseconds any one statement may run before the server cancels it: a stalled database
    /// fails the call (the tick tries again later) instead of hanging the daemon.
    public var statementTimeout: Int
    /// How long a leased customer or a `sending` attempt stays this daemon's without renewal:
    /// minutes, much longer than host clocks disagree and than one batch stays on the wire.
    public var leaseSeconds: Double
    /// This daemon's id in leases: host, process and start, unique among the daemons sharing
    /// the database.
    public var owner: String

    public init(url: String, password: String? = nil, poolSize: Int = 8, statementTimeout: Int = 30_000, leaseSeconds: Double = 300,
                owner: String = PostgresLedgerSettings.defaultOwner()) {
        self.url = url; self.password = password; self.poolSize = poolSize; self.statementTimeout = statementTimeout
        self.leaseSeconds = leaseSeconds; self.owner = owner
    }

    /// `host:pid:random`: a restarted daemon is a new owner, so its predecessor's leases are
    /// recovered as a dead daemon's, never mistaken for its own live ones.
    public static func defaultOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
    }
}
