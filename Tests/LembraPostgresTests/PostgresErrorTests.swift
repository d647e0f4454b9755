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

    /// A write refused as read-only is waited out as a server gone is, and its message names the
    /// cause the session reported: a standby (after a failover, which the next connection
    /// follows) or a read-only setting, which only an operator mends; both when the server is
    /// too old to say.
    @Test(arguments: [(ReadOnlyCause.standby, true, false), (.readOnlyDefault, false, true), (.unknown, true, true)])
    func aRefusedWriteNamesItsCause(cause: ReadOnlyCause, standby: Bool, setting: Bool) {
        let refused = PostgresLedger.storeError(PostgresError(operation: "claim", sqlState: "25006", message: "m", connectionLost: false,
                                                              readOnly: cause))
        #expect(refused.kind == .busy)
        #expect(refused.message.contains("standby") == standby, "\(refused.message)")
        #expect(refused.message.contains("default_transaction_read_only is on") == setting, "\(refused.message)")
        let gone = PostgresLedger.storeError(PostgresError(operation: "claim", sqlState: "57P01", message: "m", connectionLost: false))
        #expect(gone.kind == .busy && !gone.message.contains("read-only"))
    }

    /// The cause comes from what the server reports of the session; a standby is one whatever
    /// its defaults, and a server that reports neither setting (before 14) leaves it unknown.
    @Test func theCauseIsReadFromTheReportedSettings() {
        #expect(ReadOnlyCause(inHotStandby: "on", defaultReadOnly: "off") == .standby)
        #expect(ReadOnlyCause(inHotStandby: "on", defaultReadOnly: "on") == .standby)
        #expect(ReadOnlyCause(inHotStandby: "off", defaultReadOnly: "on") == .readOnlyDefault)
        #expect(ReadOnlyCause(inHotStandby: "off", defaultReadOnly: "off") == .unknown)
        #expect(ReadOnlyCause(inHotStandby: nil, defaultReadOnly: nil) == .unknown)
    }

    @Test func aStatementThatCannotWorkFails() {
        // undefined table or column, a syntax error, a check constraint, a foreign key
        for state in ["42P01", "42703", "42601", "23514", "23503"] { #expect(kind(state) == .failed, "\(state)") }
        #expect(kind("57014") == .timeout)
    }
}
