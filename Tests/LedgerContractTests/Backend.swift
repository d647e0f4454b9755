import Foundation
import LembraPostgres
import LembraStore
import Synchronization
import TestSupport
import Testing

/// The ledgers every contract test runs against: the embedded SQLite file and the shared
/// PostgreSQL database. A test takes one as its argument (`@Test(arguments: Backend.allCases)`)
/// and opens a fresh, empty ledger of that kind with `open()`.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// A fresh, empty, migrated ledger: a new file in a temporary folder, or a new database on
    /// the one PostgreSQL server this test process starts (`PostgresTestServer`).
    func open() throws -> OpenLedger {
        switch self {
        case .sqlite:
            let dir = try TemporaryDirectory("lembra-contract")
            let path = dir.path("ledger.sqlite").path
            return OpenLedger(ledger: try SQLiteLedger(path: path, create: true), location: path, keepAlive: dir)
        case .postgres:
            let url = try SharedPostgres.freshDatabase()
            return OpenLedger(ledger: try PostgresLedger(PostgresLedgerSettings(url: url, poolSize: 4, owner: "daemon-1")),
                              location: url, keepAlive: nil)
        }
    }
}

/// A ledger under test, where it is (a file path or a URL, to open a second connection to it),
/// and what must live as long as it (its temporary folder).
struct OpenLedger {
    let ledger: any LedgerBackend
    let location: String
    let keepAlive: TemporaryDirectory?
}

/// One PostgreSQL server for the whole test run, started on first use and stopped when the
/// process ends, its folder removed then (a static is never deinitialised, and a folder left
/// by every run filled the disk); each ledger gets its own database on it.
enum SharedPostgres {
    private static let state = Mutex<(server: PostgresTestServer?, databases: Int)>((nil, 0))

    /// Stops the server, if one was started, and removes its folder (at exit).
    private static func shutDown() { state.withLock { $0.server?.stopAndRemove() } }

    /// The URL of a new, empty database.
    static func freshDatabase() throws -> String {
        let (server, name) = try state.withLock { state throws -> (PostgresTestServer, String) in
            let server = try state.server ?? {
                let started = try PostgresTestServer()
                atexit { SharedPostgres.shutDown() }
                return started
            }()
            state.server = server
            state.databases += 1
            return (server, "contract_\(state.databases)")
        }
        try PostgresConnection(url: server.url).query("CREATE DATABASE \(name)", operation: "create test database")
        return server.url.replacingOccurrences(of: "/postgres", with: "/\(name)")
    }
}
