@testable import LembraPostgres
import LembraStore
import Testing

/// Which PostgreSQL errors a daemon rides out (transient: the tick or command is tried again) and
/// which stop it (`.failed`: a bug or a schema that does not match). The ones a live server
/// readily gives are also met for real: `PostgresConnectionTests` (timeout, lost server, a key
/// taken) and `LockOrderContractTests` (`lock_timeout`).
struct PostgresErrorTests {
    func kind(_ sqlState: String?, connectionLost: Bool = false) -> PostgresError.Kind {
        PostgresError(operation: "test", sqlState: sqlState, message: "m", connectionLost: connectionLost).kind
    }

    @Test func racesBetweenWritersAreConflicts() {
        // serialization failure, deadlock, lock_timeout, a unique key another writer took
        for state in ["40001", "40P01", "55P03", "23505"] { #expect(kind(state) == .conflict, "\(state)") }
    }

    @Test func aServerGoneStartingOrOutOfResourcesIsUnavailable() {
        // connection failures, shutdown and start-up, too many connections, disk full, out of
        // memory, a standby refusing writes (after a failover)
        for state in ["08006", "57P01", "57P03", "53300", "53100", "53200", "25006"] { #expect(kind(state) == .unavailable, "\(state)") }
        #expect(kind(nil) == .unavailable && kind("42P01", connectionLost: true) == .unavailable)
    }

    /// A write refused as read-only is waited out as a server gone is, and its message names both
    /// causes: a standby (after a failover) or a role or database set read-only, which only an
    /// operator mends.
    @Test func aRefusedWriteNamesAStandbyAndAReadOnlyRole() {
        func error(_ sqlState: String) -> StoreError {
            PostgresLedger.storeError(PostgresError(operation: "claim", sqlState: sqlState, message: "m", connectionLost: false))
        }
        let refused = error("25006")
        #expect(refused.kind == .busy && refused.message.contains("standby") && refused.message.contains("default_transaction_read_only"))
        #expect(error("57P01").kind == .busy && !error("57P01").message.contains("read-only"))
    }

    @Test func aStatementThatCannotWorkFails() {
        // undefined table or column, a syntax error, a check constraint, a foreign key
        for state in ["42P01", "42703", "42601", "23514", "23503"] { #expect(kind(state) == .failed, "\(state)") }
        #expect(kind("57014") == .timeout)
    }
}
