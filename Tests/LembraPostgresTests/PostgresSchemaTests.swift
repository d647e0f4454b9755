import LembraPostgres
import LembraStore
import TestSupport
import Testing

/// The shared ledger's schema applies on a real PostgreSQL and keeps the ledger's promises in
/// its own constraints: one reminder per step, and only the lifecycle's states.
@Suite(.serialized)
struct PostgresSchemaTests {
    let server: PostgresTestServer
    let c: PostgresConnection

    init() throws {
        server = try PostgresTestServer()
        c = try PostgresConnection(url: server.url)
        try PostgresMigrator.migrate(c, PostgresSchema.migrations)
        try c.query("INSERT INTO customers (id, name, created_at, updated_at) VALUES ('c1', 'x', 0, 0)", operation: "seed")
    }

    func insertAttempt(_ id: String, state: String) throws {
        try c.query("""
            INSERT INTO attempts (id, customer_id, kind, channel, template, segment, step_id, handoff, state, payload, created_at, updated_at)
            VALUES ($1, 'c1', 'reminder', 'email', 't', 'forgetful', 's', false, $2, '\\x', 0, 0)
            """, [id, state], operation: "insert attempt")
    }

    @Test func everyLifecycleStateAndNoOtherIsAccepted() throws {
        for state in AttemptState.allCases { try insertAttempt("a-\(state.rawValue)", state: state.rawValue) }
        let error = try #require(throws: PostgresError.self) { try insertAttempt("a-bogus", state: "delivered") }
        #expect(error.sqlState == "23514")
    }

    @Test func aStepIsClaimedOnceWhateverTheAttempt() throws {
        try insertAttempt("a1", state: "claimed")
        try insertAttempt("a2", state: "claimed")
        let item = "INSERT INTO attempt_items (attempt_id, debt_id, due_date, step_id) VALUES ($1, 'd1', '2026-11-20', 'forgetful.1d')"
        try c.query(item, ["a1"], operation: "claim step")
        let error = try #require(throws: PostgresError.self) { try c.query(item, ["a2"], operation: "claim step again") }
        #expect(error.sqlState == "23505")
    }
}
