/// Applies a schema's migrations once, however many daemons start together on one database.
///
/// Each daemon runs this at start-up. The session advisory lock makes them take turns: the
/// first applies what is missing, each in its own transaction with its name recorded in
/// `lembra_migrations`; the others then find nothing to do. A database with a migration this
/// binary does not know belongs to a newer Lembra: refused, rather than run old code on it.
public enum PostgresMigrator {
    /// The advisory lock's key: "Lembra" in ASCII, out of the way of an application's own keys.
    static let lockKey = "83998510576225"

    /// Applies the missing `migrations` in order; returns the names applied by this call.
    @discardableResult
    public static func migrate(_ connection: PostgresConnection, _ migrations: [PostgresMigration]) throws(PostgresError) -> [String] {
        try connection.query("SELECT pg_advisory_lock($1)", [lockKey], operation: "wait for the migration lock")
        defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", [lockKey], operation: "release the migration lock") }
        try connection.query("""
            CREATE TABLE IF NOT EXISTS lembra_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
            """, operation: "create the migrations table")
        let done = Set(try connection.query("SELECT name FROM lembra_migrations", operation: "read applied migrations").compactMap { $0["name"] })
        let known = Set(migrations.map(\.name))
        if let unknown = done.subtracting(known).sorted().first {
            throw PostgresError(operation: "migrate", message: "the database has migration '\(unknown)', unknown to this lembra: "
                                + "a newer version upgraded it", kind: .failed)
        }
        var applied: [String] = []
        for migration in migrations where !done.contains(migration.name) {
            try connection.transaction("migrate: \(migration.name)") { () throws(PostgresError) in
                try connection.execute(script: migration.script, operation: "migrate: \(migration.name)")
                try connection.query("INSERT INTO lembra_migrations (name) VALUES ($1)", [migration.name], operation: "migrate: \(migration.name)")
            }
            applied.append(migration.name)
        }
        return applied
    }
}
