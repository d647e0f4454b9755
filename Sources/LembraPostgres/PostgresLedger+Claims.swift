import Foundation
import LembraCore
import LembraStore

// Claims: the ports of `SQLiteLedger+Planning` (due customers) and `+Attempts` (the claim),
// made safe for several daemons on one database: due customers are leased to one daemon, and the
// controls version is checked per customer under a row lock. The outcomes are in `+Outcomes`.
extension PostgresLedger: LedgerClaims {
    /// Fails when the ledger cannot be reached. A database migrated by a newer Lembra was refused
    /// when this ledger was opened, and connections come and go with the pool, so a cheap round
    /// trip is all there is left to check; a server that is down answers `.busy`. A daemon also
    /// checks it still holds its id (`checkDaemonID`).
    public func checkUsable() throws(StoreError) {
        _ = try withConnection("check ledger") { c throws(PostgresError) in try c.query("SELECT 1", operation: "check ledger") }
        try checkDaemonID()
    }

    /// Leases up to `limit` due customers to this daemon (`PostgresLeases.leaseDueCustomers`, for
    /// `settings.leaseSeconds`): another daemon asking meanwhile gets others. The claim of a
    /// customer's chunk releases them; one never claimed (the tick stopped or failed between
    /// chunks) stays this daemon's until its lease runs out, then any daemon plans it: late by
    /// at most a lease, never lost.
    public func dueCustomerIDs(now: Date, limit: Int) throws(StoreError) -> [String] {
        try withConnection("lease due customers") { c throws(PostgresError) in
            try leases(c).leaseDueCustomers(now: now.timeIntervalSince1970, seconds: settings.leaseSeconds, limit: limit)
        }
    }

    /// As `SQLiteLedger.claim(_:saving:now:ifControlsAt:)`, for the customers of `plans` (and of
    /// `requests`): their rows are locked first (`FOR UPDATE`, in id order), and the sum of their
    /// controls versions compared with `version`, the one `planningSnapshot` read with the cases
    /// (`lockForClaim`, which also refuses a customer another daemon leased since).
    /// A control for one of them commits either before that lock (the sum moved: `.stale`, and
    /// nothing is written) or waits for this commit and then cancels what it claimed (its raise
    /// of the version comes first, `cancelPending`). A step another daemon claimed meanwhile is
    /// skipped by the unique key (`ON CONFLICT DO NOTHING`, never a violation that would fail
    /// the claim). The commit releases the customers' leases: their next checks moved on.
    public func claim(_ requests: [ClaimRequest], saving plans: [CustomerPlan], now: Date, ifControlsAt version: Int64) throws(StoreError) -> ClaimResult {
        let customers = Set(plans.map(\.customerID) + requests.map(\.message.customerID)).sorted()
        return try transaction("claim") { c in
            if let refused = try lockForClaim(c, customers, planned: version) { return refused }
            let claimed = try claim(c, requests, now: now)
            try recordSkipped(c, plans, now: now)
            try saveChecks(c, plans, now: now)
            try leases(c).release(customers: customers)
            return .claimed(claimed)
        }
    }

    /// Locks `customers` (sorted by id) for a claim, in the transaction open on `c`, and says
    /// why a plan read at controls version `version` may no longer be claimed for them (nil: it
    /// may): a control committed for them since (the sum of their versions moved: `.stale`), or
    /// another daemon leased one of them since this one did (`lease_owner`, see `PostgresLeases`:
    /// `.leasedElsewhere`). That
    /// happens when this daemon's lease ran out while it planned: the other may have claimed, or
    /// be planning, from a view this plan never saw. `planningSnapshot` leaves that customer out
    /// when the chunk is read again, so the tick claims the rest and the other daemon that one.
    func lockForClaim(_ c: PostgresConnection, _ customers: [String], planned version: Int64) throws(PostgresError) -> ClaimResult? {
        let locked = try c.query("""
            SELECT COALESCE(sum(controls_version), 0) AS version, COALESCE(bool_or(lease_owner <> $2), false) AS taken
            FROM (SELECT controls_version, lease_owner FROM customers WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE) locked
            """, [PostgresValue.array(customers), settings.owner], operation: "claim")[0]
        if locked.int64("version") != version { return .stale }
        return locked.bool("taken") ? .leasedElsewhere : nil
    }

    private func claim(_ c: PostgresConnection, _ requests: [ClaimRequest], now: Date) throws(PostgresError) -> [String] {
        var claimed: [String] = []
        for r in requests {
            guard try insertAttempt(c, id: r.attemptID, message: r.message, state: r.skipReason == nil ? .claimed : .skipped,
                                    reason: r.skipReason, payload: r.payload, steps: r.message.items.map(\.key), now: now) else { continue }
            for key in r.message.superseded {
                var skipped = r.message
                skipped.items = r.message.items.filter { $0.debt.id == key.debtID }.map { var i = $0; i.stepID = key.stepID; return i }
                try insertAttempt(c, id: ClaimRequest.newAttemptID(now: now), message: skipped, state: .skipped,
                                  reason: SkipReason.superseded.rawValue, payload: Data(), steps: [key], now: now)
            }
            if r.message.kind == .thanks {
                try c.query("UPDATE debts SET thanks_pending = false WHERE id = ANY($1::text[])", [PostgresValue.array(r.message.items.map(\.debt.id))],
                            operation: "claim")
            }
            if r.skipReason == nil { claimed.append(r.attemptID) }
        }
        return claimed
    }

    /// Records each step the plans give up for good as a `skipped` attempt with its reason,
    /// unless the step is in the ledger already.
    private func recordSkipped(_ c: PostgresConnection, _ plans: [CustomerPlan], now: Date) throws(PostgresError) {
        for plan in plans {
            for step in plan.skipped {
                try insertAttempt(c, id: ClaimRequest.newAttemptID(now: now), message: step.message, state: .skipped,
                                  reason: step.reason.rawValue, payload: Data(), steps: [step.key], now: now)
            }
        }
    }

    /// Writes an attempt and its steps, unless one of the steps is in the ledger already: then
    /// nothing of it stays and the result is false. The unique key on the steps answers as each
    /// is inserted; with another daemon's claim of the same step still open, the insert waits
    /// for it and then finds the step taken (or free, if that claim rolled back).
    @discardableResult
    func insertAttempt(_ c: PostgresConnection, id: String, message m: PlannedMessage, state: AttemptState, reason: String?,
                       payload: Data, steps: [StepKey], now: Date) throws(PostgresError) -> Bool {
        let t = PostgresValue.time(now)
        try c.query("""
            INSERT INTO attempts (id, customer_id, kind, channel, template, segment, step_id, handoff, state, reason, payload, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
            """, [id, m.customerID, m.kind.rawValue, m.channel, m.template, m.segment, m.stepID, PostgresValue.bool(m.handoff),
                  state.rawValue, reason, PostgresValue.bytes(payload), t], operation: "claim")
        for key in steps {
            let taken = try c.query("""
                INSERT INTO attempt_items (attempt_id, debt_id, due_date, step_id) VALUES ($1, $2, $3, $4)
                ON CONFLICT (debt_id, due_date, step_id) DO NOTHING RETURNING attempt_id
                """, [id, key.debtID, key.dueDate.iso, key.stepID], operation: "claim").isEmpty
            if taken {
                try c.query("DELETE FROM attempt_items WHERE attempt_id = $1", [id], operation: "claim")
                try c.query("DELETE FROM attempts WHERE id = $1", [id], operation: "claim")
                return false
            }
        }
        return true
    }
}
