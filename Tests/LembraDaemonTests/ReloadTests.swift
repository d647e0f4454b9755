import Foundation
@testable import LembraDaemon
import LembraStore
import Testing
import TestSupport

/// SIGHUP re-reads the config, but the ledger is opened once, at start: a reload that names
/// another database, or (on PostgreSQL) another state directory, where the ticks' progress file
/// is kept, is refused and the old config stays.
@Suite struct ReloadTests {
    static func yaml(_ f: ConfigFixture, database: String, state: String, tick: String) -> String {
        [ConfigFixture.business, "database: \(database)", "state_directory: \(state)", "tick: \(tick)",
         "templates: \(f.dir.path("templates").path)", ConfigFixture.outbox, ConfigFixture.ladders].joined(separator: "\n")
    }

    @Test func aReloadKeepsThePostgresDatabaseAndStateDirectory() async throws {
        let f = try ConfigFixture()
        let url = "postgres://lembra@db.example/lembra"
        let config = try f.load(Self.yaml(f, database: url, state: "state", tick: "5m"))
        let lines = LogfmtTests.Lines()
        let log = Logfmt(journal: false) { line in lines.value.withLock { $0.append(line) } }
        // A SQLite file stands in for the ledger: a reload never touches it.
        let loop = TickLoop(config: config, configPath: f.dir.path("lembra.yaml").path,
                            ledger: try SQLiteLedger(path: f.dir.path("ledger.sqlite").path, create: true), log: log,
                            clock: Clock(pinnedAt: TickTests.now), metrics: MetricsExporter(), notifier: SystemdNotifier(environment: [:]),
                            watchdogInterval: nil)
        func reload(_ yaml: String) async throws -> String {
            try f.dir.write("lembra.yaml", yaml)
            lines.value.withLock { $0.removeAll() }
            await loop.reload()
            return lines.value.withLock { $0.joined() }
        }

        let otherState = try await reload(Self.yaml(f, database: url, state: "elsewhere", tick: "1m"))
        #expect(otherState.contains("event=reload_refused"), "\(otherState)")
        let otherDatabase = try await reload(Self.yaml(f, database: "postgres://lembra@db2.example/lembra", state: "state", tick: "1m"))
        #expect(otherDatabase.contains("event=reload_refused"), "\(otherDatabase)")
        let same = try await reload(Self.yaml(f, database: url, state: "state", tick: "1m"))
        #expect(same.contains("event=reload_accepted"), "\(same)")
    }
}
