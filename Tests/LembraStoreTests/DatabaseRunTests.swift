import Foundation
import GRDB
@testable import LembraStore
import Testing

/// `Database.run` binds text and blobs in place: what it writes must read back byte for byte,
/// empty values must stay empty (not NULL), and a failure must carry SQLite's own message.
@Suite struct DatabaseRunTests {
    private static func table() throws -> DatabaseQueue {
        let db = try DatabaseQueue()
        try db.write { try $0.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY, s TEXT NOT NULL, b BLOB, r REAL, n TEXT)") }
        return db
    }

    @Test(arguments: ["", "a", "ação às 20:00 — R$ 1.234,56", String(repeating: "x", count: 100_000)])
    func textReadsBackAsWritten(text: String) throws {
        let db = try Self.table()
        let blob = Data(text.utf8.reversed())
        let changed = try db.write { try $0.run("INSERT INTO t (k, s, b, r, n) VALUES (?, ?, ?, ?, ?)",
                                                [.integer(7), .text(text), .blob(blob), .real(1.5), .text(nil)]) }
        #expect(changed == 1)
        let row = try #require(try db.read { try Row.fetchOne($0, sql: "SELECT s, b, r, n, typeof(s), typeof(b) FROM t WHERE k = 7") })
        #expect(row[0] as String == text)
        #expect(row[1] as Data? == blob)
        #expect(row[2] as Double == 1.5)
        #expect(row[3] as String? == nil)
        #expect(row[4] as String == "text")
        #expect(row[5] as String == "blob")
    }

    /// Text is bound up to its first NUL, as GRDB binds it, so what `run` writes is found by
    /// GRDB's lookups of the same value.
    @Test func textEndsAtItsFirstNUL() throws {
        let db = try Self.table()
        _ = try db.write { try $0.run("INSERT INTO t (k, s) VALUES (?, ?)", [.integer(1), .text("a\u{0}b")]) }
        #expect(try db.read { try String.fetchOne($0, sql: "SELECT s FROM t WHERE s = ?", arguments: ["a\u{0}b"]) } == "a")
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT length(s) FROM t") } == 1)
    }

    /// The same cached statement, run again with other values, writes the new ones.
    @Test func aRerunBindsItsOwnValues() throws {
        let db = try Self.table()
        try db.write { db in
            for k in 1...3 { try db.run("INSERT INTO t (k, s) VALUES (?, ?)", [.integer(Int64(k)), .text("value \(k)")]) }
        }
        #expect(try db.read { try String.fetchAll($0, sql: "SELECT s FROM t ORDER BY k") } == ["value 1", "value 2", "value 3"])
    }

    @Test func aFailureCarriesSQLitesCodeAndMessage() throws {
        let db = try Self.table()
        _ = try db.write { try $0.run("INSERT INTO t (k, s) VALUES (?, ?)", [.integer(1), .text("one")]) }
        do {
            _ = try db.write { try $0.run("INSERT INTO t (k, s) VALUES (?, ?)", [.integer(1), .text("again")]) }
            Issue.record("a duplicate key was inserted")
        } catch let error as DatabaseError {
            #expect(error.resultCode == .SQLITE_CONSTRAINT)
            #expect(error.message?.contains("UNIQUE constraint failed: t.k") == true, "\(error)")
        }
        #expect(try db.read { try String.fetchAll($0, sql: "SELECT s FROM t") } == ["one"])
    }
}
