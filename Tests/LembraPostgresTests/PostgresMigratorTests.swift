import Foundation
import LembraPostgres
import Synchronization
import TestSupport
import Testing

/// Several daemons starting together on one database apply each migration once; a failed one
/// leaves nothing; a database upgraded by a newer Lembra is refused.
@Suite(.serialized)
struct PostgresMigratorTests {
    let server: PostgresTestServer

    init() throws { server = try PostgresTestServer() }

    static let schema = [
        PostgresMigration("counter", "CREATE TABLE applied (name text); INSERT INTO applied VALUES ('counter');"),
        // Slow enough that the daemons really overlap: without the lock they would all run it.
        PostgresMigration("slow", "SELECT pg_sleep(0.3); INSERT INTO applied VALUES ('slow');"),
        PostgresMigration("last", "INSERT INTO applied VALUES ('last');"),
    ]

    @Test func daemonsStartingTogetherApplyEachMigrationOnce() throws {
        let results = Mutex<[Result<[String], PostgresError>]>([])
        let finished = DispatchGroup()
        let threads = (0..<4).map { _ in
            Thread { [url = server.url] in
                defer { finished.leave() }
                let result = Result { () throws(PostgresError) -> [String] in
                    try PostgresMigrator.migrate(try PostgresConnection(url: url), Self.schema)
                }
                results.withLock { $0.append(result) }
            }
        }
        for t in threads { finished.enter(); t.start() }
        finished.wait()
        let applied = try results.withLock { try $0.map { try $0.get() } }
        #expect(applied.flatMap { $0 }.sorted() == ["counter", "last", "slow"], "each applied by exactly one daemon")
        let c = try PostgresConnection(url: server.url)
        #expect(try c.query("SELECT name FROM applied ORDER BY name", operation: "read").map { $0["name"] } == ["counter", "last", "slow"])
        #expect(try PostgresMigrator.migrate(c, Self.schema).isEmpty)
    }

    @Test func aFailedMigrationLeavesNothingAndIsRetried() throws {
        let c = try PostgresConnection(url: server.url)
        let broken = [PostgresMigration("two tables", "CREATE TABLE a (n int); CREATE TABLE a (n int);")]
        #expect(throws: PostgresError.self) { try PostgresMigrator.migrate(c, broken) }
        #expect(try c.query("SELECT to_regclass('a') AS t", operation: "read").first?["t"] == nil)
        let fixed = [PostgresMigration("two tables", "CREATE TABLE a (n int); CREATE TABLE b (n int);")]
        #expect(try PostgresMigrator.migrate(c, fixed) == ["two tables"])
    }

    @Test func aDatabaseFromANewerLembraIsRefused() throws {
        let c = try PostgresConnection(url: server.url)
        try PostgresMigrator.migrate(c, Self.schema)
        let error = try #require(throws: PostgresError.self) { try PostgresMigrator.migrate(c, Array(Self.schema.prefix(2))) }
        #expect(error.kind == .failed && error.message.contains("'last'") && error.message.contains("newer version"))
    }
}
