import Foundation
import LembraPostgres
import Synchronization
import TestSupport
import Testing

/// Several daemons on one database: each due customer is leased by one daemon at a time, a dead
/// daemon's leases run out, and recovery never touches another live daemon's sends.
@Suite(.serialized)
struct PostgresLeasesTests {
    let server: PostgresTestServer
    let now = 1_795_000_000.0

    init() throws {
        server = try PostgresTestServer()
        try PostgresMigrator.migrate(try PostgresConnection(url: server.url), PostgresSchema.migrations)
    }

    /// `due` customers with a debt due an hour ago, and `later` whose debt is due tomorrow.
    func seed(due: Int, later: Int = 0) throws {
        let c = try PostgresConnection(url: server.url)
        try c.query("""
            INSERT INTO customers (id, name, created_at, updated_at) SELECT 'c' || lpad(n::text, 4, '0'), 'x', 0, 0 FROM generate_series(1, $1::int) n;
            """, [String(due + later)], operation: "seed customers")
        try c.query("""
            INSERT INTO debts (id, customer_id, amount_cents, due_date, next_check_at, created_at, updated_at)
            SELECT 'd' || n, 'c' || lpad(n::text, 4, '0'), 1000, '2026-11-20', CASE WHEN n <= $1::int THEN $2::float8 - 3600 ELSE $2::float8 + 86400 END, 0, 0
            FROM generate_series(1, $3::int) n
            """, [String(due), String(now), String(due + later)], operation: "seed debts")
    }

    func leases(_ owner: String) throws -> PostgresLeases {
        PostgresLeases(connection: try PostgresConnection(url: server.url), owner: owner)
    }

    @Test func daemonsLeasingTogetherNeverShareACustomerAndMissNone() throws {
        try seed(due: 300, later: 20)
        let taken = Mutex<[String: [String]]>([:])
        let failures = Mutex<[String]>([])
        let finished = DispatchGroup()
        let threads = (1...3).map { n in
            Thread { [self] in
                defer { finished.leave() }
                do {
                    let mine = try leases("daemon-\(n)")
                    while true {
                        let batch = try mine.leaseDueCustomers(now: now, seconds: 300, limit: 20)
                        if batch.isEmpty { break }
                        taken.withLock { $0[mine.owner, default: []] += batch }
                    }
                } catch { failures.withLock { $0.append("\(error)") } }
            }
        }
        for t in threads { finished.enter(); t.start() }
        finished.wait()
        #expect(failures.withLock { $0 }.isEmpty)
        let all = taken.withLock { $0 }.values.flatMap { $0 }
        #expect(all.count == 300 && Set(all).count == 300, "each due customer leased once")
        #expect(Set(all) == Set((1...300).map { String(format: "c%04d", $0) }), "only the due ones, none missed")
    }

    @Test func aDeadDaemonsLeasesRunOutAndAReleasedCustomerIsFreeAtOnce() throws {
        try seed(due: 5)
        let dead = try leases("dead"), live = try leases("live")
        #expect(try dead.leaseDueCustomers(now: now, seconds: 60, limit: 3) == ["c0001", "c0002", "c0003"])
        #expect(try live.leaseDueCustomers(now: now, seconds: 60, limit: 10) == ["c0004", "c0005"])
        #expect(try live.leaseDueCustomers(now: now + 59, seconds: 60, limit: 10).isEmpty, "all held")
        #expect(try live.leaseDueCustomers(now: now + 61, seconds: 60, limit: 10) == ["c0001", "c0002", "c0003", "c0004", "c0005"],
                "the dead daemon's ran out")
        try live.release(customers: ["c0001", "c0002"])
        #expect(try dead.leaseDueCustomers(now: now + 62, seconds: 60, limit: 10) == ["c0001", "c0002"])
    }

    @Test func recoveryTakesOnlyOwnOrExpiredSends() throws {
        try seed(due: 1)
        let c = try PostgresConnection(url: server.url)
        for (id, owner, until) in [("a-own", "me", now + 300), ("a-live", "other", now + 300), ("a-gone", "gone", now - 1), ("a-old", nil, nil)] {
            try c.query("""
                INSERT INTO attempts (id, customer_id, kind, channel, template, segment, step_id, handoff, state, owner, lease_until,
                                      payload, created_at, updated_at)
                VALUES ($1, 'c0001', 'reminder', 'email', 't', 'forgetful', 's', false, 'sending', $2, $3, '\\x', 0, 0)
                """, [id, owner, until.map { String($0) }], operation: "seed attempt")
        }
        #expect(try leases("me").recoverableSends(now: now) == ["a-gone", "a-old", "a-own"])
        #expect(try leases("other").recoverableSends(now: now) == ["a-gone", "a-live", "a-old"])
    }
}
