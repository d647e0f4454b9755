import Foundation
import LembraPostgres

extension ConfigBuilder {
    /// The default `database:`, a SQLite file.
    static let defaultDatabase = "/var/lib/lembra/lembra.sqlite"

    /// `database:` a SQLite file, or a PostgreSQL URL (`postgres://user@host:port/db`, or
    /// `postgresql://`) read with the `postgres:` block; `state_directory:` the daemon's own files
    /// then. Returns the database (the file, or the URL as written) and, for PostgreSQL, how to
    /// reach it.
    func database(_ keys: [String: YAMLCursor]) -> (database: String, postgres: PostgresLedgerSettings?, stateDirectory: String) {
        let stateDirectory = keys["state_directory"]?.path(relativeTo: base) ?? LembraConfig.defaultStateDirectory
        guard let c = keys["database"], let text = c.node.scalar?.string, Self.isPostgresURL(text) else {
            if let block = keys["postgres"] {
                block.warn("ignored: the ledger is the SQLite file in `database:`; the postgres: block only applies to `database: postgres://…`")
            }
            return (keys["database"]?.path(relativeTo: base) ?? Self.defaultDatabase, nil, stateDirectory)
        }
        checkPostgresURL(text, c)
        let settings = keys["postgres"].map { postgresSettings(url: text, $0) } ?? PostgresLedgerSettings(url: text)
        return (text, settings, stateDirectory)
    }

    private static func isPostgresURL(_ text: String) -> Bool { text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") }

    /// A URL libpq can read, with a host (or several, `db1:5432,db2:5432`, for failover), and no
    /// password: the config is read by whoever may see it (`check-config` output, backups of
    /// /etc), the password file by the daemon only. Read by hand: `URLComponents` refuses a host
    /// list with ports.
    private func checkPostgresURL(_ text: String, _ c: YAMLCursor) {
        let rest = text.drop { $0 != ":" }.dropFirst(3)  // after `postgres://`
        let main = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let authority = main.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let hosts = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        guard hosts.split(separator: ",", omittingEmptySubsequences: false).allSatisfy({ !$0.isEmpty && !$0.hasPrefix(":") }) else {
            c.fail("expected a PostgreSQL URL like postgres://lembra@db.example:5432/lembra"); return
        }
        // `user:password@`, wherever the last `@` is: a password holding a `/` ends the host
        // part early, and libpq would fail on it, but it is still a password in the config.
        let user = main.split(separator: "@", omittingEmptySubsequences: false).dropLast().joined(separator: "@")
        let query = rest.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
        let names = query.split(separator: "&").map { pair in
            let name = String(pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0])
            return (name.removingPercentEncoding ?? name).lowercased()  // libpq decodes them
        }
        if user.contains(":") || names.contains("password") || names.contains("sslpassword") {
            c.fail("the URL holds a password: take it out, and put it in a file named by postgres.password_file (readable by the daemon only)")
        }
    }

    /// `postgres: { password_file, pool_size, statement_timeout, lease, daemon_id }`.
    private func postgresSettings(url: String, _ c: YAMLCursor) -> PostgresLedgerSettings {
        var settings = PostgresLedgerSettings(url: url)
        let keys = Dictionary((c.mapping(allowed: ["password_file", "pool_size", "statement_timeout", "lease", "daemon_id"]) ?? []).map { ($0.key, $0.value) },
                              uniquingKeysWith: { a, _ in a })
        if let c = keys["password_file"], let password = secret(c) {
            if password.isEmpty { c.fail("the password file is empty") } else { settings.password = password }
        }
        settings.poolSize = keys["pool_size"]?.int(in: 1...64) ?? settings.poolSize
        if let c = keys["daemon_id"], let id = c.string() {
            if PostgresLedgerSettings.isValidOwner(id) { settings.owner = id } else {
                c.fail("expected 1 to 64 letters, digits, '.', '_' or '-', got '\(id)'")
            }
        }
        if let c = keys["statement_timeout"], let v = c.positiveDuration(atMost: ConfigLimits.statementTimeout) {
            guard v >= 1 else { c.fail("must be at least 1s, got '\(c.node.scalar?.string ?? "")'"); return settings }
            settings.statementTimeout = Int((v * 1000).rounded())
        }
        let timeout = Double(settings.statementTimeout) / 1000
        if let c = keys["lease"], let v = c.positiveDuration(atMost: ConfigLimits.lease) {
            guard v >= 60, v > timeout else {
                c.fail("must be at least 1m and longer than statement_timeout (\(Duration.text(timeout))), got '\(c.node.scalar?.string ?? "")': "
                       + "once a lease runs out, another daemon takes over the sends it covers"); return settings
            }
            settings.leaseSeconds = v
        } else if keys["lease"] == nil, settings.leaseSeconds <= timeout {
            keys["statement_timeout"]?.fail("must be shorter than lease (\(Duration.text(settings.leaseSeconds)), the default)")
        }
        return settings
    }
}
