import Foundation
import LembraPostgres
import TestSupport
import Testing

/// The libpq connection against a real PostgreSQL: parameters travel as values, errors are typed
/// and carry no row data, a stalled statement times out, a lost server is `unavailable`.
@Suite(.serialized)
struct PostgresConnectionTests {
    let server: PostgresTestServer

    init() throws { server = try PostgresTestServer() }

    @Test func parametersTravelAsValuesNotSQL() throws {
        let c = try PostgresConnection(url: server.url)
        try c.query("CREATE TABLE t (id text PRIMARY KEY, note text)", operation: "create")
        let tricky = "'); DROP TABLE t; -- São Paulo R$ 1.234,56"
        try c.query("INSERT INTO t VALUES ($1, $2)", ["a", tricky], operation: "insert")
        try c.query("INSERT INTO t VALUES ($1, $2)", ["b", nil], operation: "insert")
        let rows = try c.query("SELECT id, note FROM t ORDER BY id", operation: "read")
        #expect(rows.map { $0["id"] } == ["a", "b"])
        #expect(rows[0]["note"] == tricky && rows[1]["note"] == nil)
    }

    /// PostgreSQL's DETAIL line quotes the row ("Key (id)=(…) already exists"): it may be a
    /// customer's data, so only the primary message is kept. A key taken is a conflict between
    /// writers (the ledger's own inserts on keys that may exist are `ON CONFLICT`, or checked
    /// under lock): transient, the write tried again finds the other's row.
    @Test func aConstraintErrorIsTypedAndCarriesNoRowData() throws {
        let c = try PostgresConnection(url: server.url)
        try c.query("CREATE TABLE u (email text PRIMARY KEY)", operation: "create")
        try c.query("INSERT INTO u VALUES ($1)", ["ana@example.com"], operation: "insert")
        let error = try #require(throws: PostgresError.self) {
            try c.query("INSERT INTO u VALUES ($1)", ["ana@example.com"], operation: "insert customer")
        }
        #expect(error.sqlState == "23505" && error.kind == .conflict && error.isTransient)
        #expect(error.description.hasPrefix("insert customer: duplicate key value violates unique constraint"))
        #expect(!error.description.contains("ana@example.com"))
    }

    @Test func aTransactionThatThrowsLeavesNothing() throws {
        let c = try PostgresConnection(url: server.url)
        try c.query("CREATE TABLE v (n int)", operation: "create")
        _ = try? c.transaction("two inserts") { () throws(PostgresError) in
            try c.query("INSERT INTO v VALUES (1)", operation: "insert")
            try c.query("INSERT INTO v VALUES ('x')", operation: "insert")
        }
        #expect(try c.query("SELECT count(*) AS n FROM v", operation: "count").first?["n"] == "0")
        try c.transaction("one insert") { () throws(PostgresError) in try c.query("INSERT INTO v VALUES (2)", operation: "insert") }
        #expect(try c.query("SELECT count(*) AS n FROM v", operation: "count").first?["n"] == "1")
    }

    /// A stalled statement fails within `statement_timeout` instead of hanging the tick, and
    /// the connection stays usable.
    @Test func aStatementPastTheTimeoutFailsAsTransient() throws {
        let c = try PostgresConnection(url: server.url, statementTimeout: 200)
        let error = try #require(throws: PostgresError.self) { try c.query("SELECT pg_sleep(5)", operation: "sleep") }
        #expect(error.kind == .timeout && error.sqlState == "57014" && error.isTransient)
        #expect(try c.query("SELECT 1 AS one", operation: "after").first?["one"] == "1")
    }

    @Test func aServerThatGoesAwayIsUnavailable() throws {
        let c = try PostgresConnection(url: server.url)
        server.stop()
        let lost = try #require(throws: PostgresError.self) { try c.query("SELECT 1", operation: "read after crash") }
        #expect(lost.kind == .unavailable && lost.isTransient)
        let refused = try #require(throws: PostgresError.self) { try PostgresConnection(url: server.url, connectTimeout: 2) }
        #expect(refused.kind == .unavailable && refused.operation == "connect")
        #expect(refused.message.contains("127.0.0.1") && refused.message.contains("\(server.port)"))
    }

    /// After a failover the old primary is a standby and refuses writes (25006): transient, and
    /// the connection reports itself closed so the pool drops it and opens one to the new primary.
    @Test func aServerThatRefusesWritesIsUnavailableAndTheConnectionIsLeft() throws {
        let c = try PostgresConnection(url: server.url)
        try c.query("CREATE TABLE w (n int)", operation: "create")
        try c.query("INSERT INTO w VALUES (1)", operation: "insert")
        #expect(c.isOpen)
        try c.query("SET default_transaction_read_only = on", operation: "as a standby")
        let refused = try #require(throws: PostgresError.self) { try c.query("INSERT INTO w VALUES (2)", operation: "insert") }
        #expect(refused.sqlState == "25006" && refused.kind == .unavailable && refused.isTransient)
        #expect(refused.readOnly == .readOnlyDefault, "a primary, read-only by its setting, as the session reports it")
        #expect(!c.isOpen)
    }

    @Test func aPasswordIsNeverInTheMessage() throws {
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection(url: "postgres://nobody@127.0.0.1:\(server.port)/postgres", password: "wrong-secret")
        }
        #expect(error.kind == .unavailable && error.message.contains("nobody"))
        #expect(!error.description.contains("wrong-secret"))
    }
}
