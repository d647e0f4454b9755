import Foundation

/// Damage done to a ledger file as a failing disk or a bad copy would, for the tests that check
/// Lembra notices it or survives it. Done by Python's sqlite3 (another SQLite client), on a
/// ledger no process has open.
public enum LedgerDamage {
    /// Empties `index` (over `columns` of `table`) while its table keeps every row: an index that
    /// lost its entries, the damage that once let steps be claimed twice. The file stays
    /// structurally sound, so `PRAGMA quick_check` still says "ok" and only `integrity_check` sees
    /// it. Done by giving the index the root page of a new, empty index of the same columns
    /// (`WHERE 0`: it never holds a row) and dropping that one.
    public static func emptyIndex(_ index: String, of table: String, columns: String, in database: String) throws {
        try python("""
            import sqlite3, sys
            index, table, columns = sys.argv[2], sys.argv[3], sys.argv[4]
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute(f"CREATE INDEX damage ON {table}({columns}) WHERE 0")
            root = lambda name: c.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
            damaged, empty = root(index), root("damage")
            c.execute("PRAGMA writable_schema = ON")
            c.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (empty, index))
            c.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = 'damage'", (damaged,))
            c.execute("PRAGMA writable_schema = OFF")
            c.close()
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("DROP INDEX damage")
            assert c.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            c.close()
            """, database, index, table, columns)
    }

    /// Empties the index of claimed steps by their attempt (`attempt_items_attempt`), see `emptyIndex`.
    public static func emptyItemsByAttempt(_ database: String) throws {
        try emptyIndex("attempt_items_attempt", of: "attempt_items", columns: "attempt", in: database)
    }

    /// Adds `by` to the count of `state` attempts that `status` reads (`attempt_counts`), as a
    /// write that lost its count would leave it: every attempt row stays as it was.
    public static func skewAttemptCount(_ database: String, state: String, by: Int) throws {
        try python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("UPDATE attempt_counts SET n = n + ? WHERE state = ?", (int(sys.argv[3]), sys.argv[2]))
            c.close()
            """, database, state, String(by))
    }

    /// Overwrites the page-type byte of the root page of `index` with 0: a page that no longer
    /// reads as a b-tree page. `quick_check` reports it; a run that never reads that index
    /// does not notice.
    public static func breakPage(of index: String, in database: String) throws {
        try python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            size = c.execute("PRAGMA page_size").fetchone()[0]
            page = c.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (sys.argv[2],)).fetchone()[0]
            c.close()
            with open(sys.argv[1], "r+b") as f:
                f.seek((page - 1) * size + (100 if page == 1 else 0))
                f.write(b"\\x00")
            """, database, index)
    }

    /// Runs a Python script with the test virtualenv's interpreter.
    @discardableResult
    public static func python(_ script: String, _ arguments: String...) throws -> String {
        String(decoding: try ShellCommand.run(RepositoryPaths.python, ["-c", script] + arguments), as: UTF8.self)
    }
}
