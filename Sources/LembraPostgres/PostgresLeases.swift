import Foundation

/// Which daemon works on what, when several share one PostgreSQL ledger.
///
/// A daemon leases the due customers it will plan, a batch at a time: the lease is a row update
/// (`lease_owner`, `lease_until`) made under `FOR UPDATE SKIP LOCKED`, so daemons leasing at the
/// same moment each get different customers without waiting on one another, and it outlives the
/// transaction, because a tick plans, renders and claims a customer in separate steps. A lease
/// ends when its owner releases it or when it runs out: a daemon killed mid-tick holds its
/// customers only until then. The attempts a daemon marks `sending` carry its id and a lease the
/// same way, so recovery after a crash takes over only the sends whose owner is gone.
///
/// A lease that ran out while its daemon was still planning (a tick slower than the lease) is
/// no licence for two daemons to claim the same customer from two plans: `lease_owner` stays
/// the daemon that leased the customer last, after its lease ends too, and a claim is refused
/// (`.leasedElsewhere`) for a customer another daemon leased since (`PostgresLedger.claim`). So whichever
/// daemon claims a customer planned it on a view that holds every claim made for it before,
/// and the caps hold, however long planning takes.
///
/// Every method takes `now` (the daemon's clock): leases must be much longer than the clocks of
/// the hosts can disagree, minutes rather than seconds.
public struct PostgresLeases {
    let connection: PostgresConnection
    /// This daemon's id (host, process, start), written into what it leases.
    public let owner: String

    public init(connection: PostgresConnection, owner: String) {
        self.connection = connection; self.owner = owner
    }

    /// Leases up to `limit` customers with a debt due by `now` that no daemon holds (or whose
    /// lease ran out), until `now + seconds`; returns their ids, in id order. Called until empty
    /// without releasing, it hands out each due customer once. (The pick is a materialised CTE:
    /// a subquery under `IN` may be run more than once and lease more than `limit`.)
    public func leaseDueCustomers(now: Double, seconds: Double, limit: Int) throws(PostgresError) -> [String] {
        try connection.query("""
            WITH picked AS MATERIALIZED (
                SELECT c.id FROM customers c
                WHERE (c.lease_until IS NULL OR c.lease_until <= $2)
                  AND EXISTS (SELECT 1 FROM debts d WHERE d.customer_id = c.id AND d.next_check_at <= $2)
                ORDER BY c.id LIMIT $4
                FOR UPDATE SKIP LOCKED)
            UPDATE customers c SET lease_owner = $1, lease_until = $2::double precision + $3::double precision
            FROM picked WHERE c.id = picked.id
            RETURNING c.id
            """, [owner, String(now), String(seconds), String(limit)], operation: "lease due customers")
            .compactMap { $0["id"] }.sorted()
    }

    /// Gives the customers back once their plans are claimed (or given up): any daemon may
    /// lease them again. `lease_owner` stays, naming who planned them last (see above).
    public func release(customers ids: [String]) throws(PostgresError) {
        guard !ids.isEmpty else { return }
        try connection.query("""
            UPDATE customers SET lease_until = NULL WHERE lease_owner = $1 AND id = ANY($2::text[])
            """, [owner, Self.array(ids)], operation: "release customers")
    }

    /// The attempts left `sending` that this daemon may recover: its own and those whose owner's
    /// lease ran out by `now`. Another live daemon's sends are never among them, as long as it
    /// renews their lease while they are on the wire (every commit of its lanes does, see
    /// `PostgresLedger+Outcomes`).
    public func recoverableSends(now: Double) throws(PostgresError) -> [String] {
        try connection.query("""
            SELECT id FROM attempts WHERE state = 'sending' AND (owner = $1 OR owner IS NULL OR lease_until <= $2) ORDER BY id
            """, [owner, String(now)], operation: "load interrupted attempts").compactMap { $0["id"] }
    }

    /// A PostgreSQL text array literal of `values` (`{"a","b"}`), passed as one parameter.
    static func array(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }
}
