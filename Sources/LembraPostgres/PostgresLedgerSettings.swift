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
    /// This daemon's id in leases (`postgres.daemon_id`, the host's name by default): one per
    /// host, the same across restarts, so a daemon started again takes back at once what it left
    /// `sending` (with its own progress file) and the customers it had leased. Two live daemons
    /// never share one: the daemon holds it under an advisory lock (`holdDaemonID`).
    public var owner: String

    public init(url: String, password: String? = nil, poolSize: Int = 8, statementTimeout: Int = 30_000, leaseSeconds: Double = 300,
                owner: String = PostgresLedgerSettings.defaultOwner()) {
        self.url = url; self.password = password; self.poolSize = poolSize; self.statementTimeout = statementTimeout
        self.leaseSeconds = leaseSeconds; self.owner = owner
    }

    /// The host's name, cut to what `isValidOwner` accepts.
    public static func defaultOwner() -> String {
        let name = String(ProcessInfo.processInfo.hostName.prefix(64).map { isOwnerCharacter($0) ? $0 : "-" })
        return name.isEmpty ? "lembra" : name
    }

    /// 1 to 64 letters, digits, `.`, `_` or `-`: it goes into logs and `lembra status` as is.
    public static func isValidOwner(_ id: String) -> Bool { (1...64).contains(id.count) && id.allSatisfy(isOwnerCharacter) }

    private static func isOwnerCharacter(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "_" || c == "-") }
}
