import Foundation
import LembraCore
import LembraStore

// The planner's reads (`LedgerReports` for `preview`; the tick's own go through `LedgerClaims`):
// the ports of `SQLiteLedger+Planning` and `+PolicyChange`.
extension PostgresLedger {
    /// Every customer with an open debt or a pending thank-you (for `preview`), in id order.
    public func openCases(now: Date) throws(StoreError) -> [CustomerCase] {
        try readSnapshot("load open debts") { c throws(PostgresError) in try openCases(c, now: now) }
    }

    /// The same, on `c` (inside a transaction of the caller's: `recordRestoreExclusively`).
    func openCases(_ c: PostgresConnection, now: Date) throws(PostgresError) -> [CustomerCase] {
        let ids = try c.query("SELECT DISTINCT customer_id FROM debts WHERE paid_at IS NULL OR thanks_pending ORDER BY customer_id",
                              operation: "load open debts").map { $0.text("customer_id") }
        return try cases(c, customerIDs: ids, now: now)
    }

    /// Up to `limit` customers with a check due by `now`, in id order, read without leasing them:
    /// `preview` and `run --dry-run` must not keep a daemon from its work.
    public func dueCases(now: Date, limit: Int) throws(StoreError) -> [CustomerCase] {
        try readSnapshot("load due debts") { c throws(PostgresError) in
            let ids = try c.query("""
                SELECT DISTINCT customer_id FROM debts WHERE next_check_at <= $1 ORDER BY customer_id LIMIT $2
                """, [PostgresValue.time(now), String(limit)], operation: "load due debts").map { $0.text("customer_id") }
            return try cases(c, customerIDs: ids, now: now)
        }
    }

    public func isPlanned(under fingerprint: Int32) throws(StoreError) -> Bool {
        try withConnection("read policy fingerprint") { c throws(PostgresError) in
            try c.query("SELECT fingerprint FROM policy_fingerprint WHERE id = 1", operation: "read policy fingerprint")
                .first?.int64("fingerprint") == Int64(fingerprint)
        }
    }

    /// As `SQLiteLedger.planAgainIfPolicyChanged`. The fingerprint is the database's, shared by
    /// every daemon: daemons started with different policies would bring every debt forward at
    /// each other's ticks, so they must run the same config.
    ///
    /// The customers of the debts it brings forward are locked first, in id order, as a claim
    /// locks its own before it saves their next checks: updating the debts in the table's order
    /// could deadlock with another daemon's claim writing some of them.
    public func planAgainIfPolicyChanged(fingerprint: Int32, now: Date) throws(StoreError) -> Bool {
        try transaction("plan again") { c in
            let stored = try c.query("SELECT fingerprint FROM policy_fingerprint WHERE id = 1 FOR UPDATE", operation: "plan again").first?.int64("fingerprint")
            guard stored != Int64(fingerprint) else { return false }
            // Those due already need nothing (after an import, that is all of them).
            let notDue = "(paid_at IS NULL OR thanks_pending) AND (next_check_at IS NULL OR next_check_at > $1)"
            try lockCustomers(c, where: "id IN (SELECT customer_id FROM debts WHERE \(notDue))", [PostgresValue.time(now)])
            let brought = try c.query("UPDATE debts SET next_check_at = $1 WHERE \(notDue) RETURNING id", [PostgresValue.time(now)],
                                      operation: "plan again")
            try c.query("UPDATE policy_fingerprint SET fingerprint = $1 WHERE id = 1", [String(fingerprint)], operation: "plan again")
            return !brought.isEmpty
        }
    }

    /// The planner's view of `customerIDs` and their controls version, read in one snapshot.
    ///
    /// The version is the sum of these customers' own versions: each only grows, so any control
    /// committed for one of them since changes the sum, and `claim` compares it with the sum it
    /// reads under lock for the customers of its plans (the tick plans every customer of its
    /// snapshot). A control for a customer outside the chunk changes nothing here.
    ///
    /// A customer another daemon leased since this one did is left out (its case and its
    /// version): it is that daemon's to plan now, and `claim` would refuse it (see there).
    public func planningSnapshot(customerIDs: [String], now: Date) throws(StoreError) -> PlanningSnapshot {
        try readSnapshot("load due debts") { c throws(PostgresError) in
            let ours = try c.query("""
                SELECT id, controls_version FROM customers WHERE id = ANY($1::text[]) AND (lease_owner IS NULL OR lease_owner = $2)
                """, [PostgresValue.array(customerIDs), settings.owner], operation: "read controls version")
            let kept = Set(ours.map { $0.text("id") })
            return PlanningSnapshot(customerIDs: customerIDs, cases: try cases(c, customerIDs: customerIDs.filter(kept.contains), now: now),
                                    controlsVersion: ours.reduce(0) { $0 + $1.int64("controls_version") })
        }
    }

    /// Runs `body`'s reads in one transaction that sees a single snapshot of the database
    /// (`REPEATABLE READ`): under PostgreSQL's default each statement would see the commits made
    /// since the one before, and the cases would not match the version read with them.
    func readSnapshot<T>(_ operation: String, _ body: (PostgresConnection) throws(PostgresError) -> T) throws(StoreError) -> T {
        try transaction(operation) { c in
            try c.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", operation: operation)
            return try body(c)
        }
    }

    /// The planner's view of the given customers, in the given order (unknown ids left out), as
    /// `SQLiteLedger.cases`.
    func cases(_ c: PostgresConnection, customerIDs ids: [String], now: Date) throws(PostgresError) -> [CustomerCase] {
        guard !ids.isEmpty else { return [] }
        let args = [PostgresValue.array(ids)]
        var cases: [String: CustomerCase] = [:]
        for row in try c.query("SELECT \(Self.customerColumns), paused_through, opted_out, segment FROM customers WHERE id = ANY($1::text[])",
                               args, operation: "load customers") {
            let customer = Self.customer(row)
            cases[customer.id] = CustomerCase(customer: customer, debts: [], pausedThrough: row["paused_through"].flatMap(Self.pauseDay),
                                              optedOut: row.bool("opted_out"), lastSegment: row["segment"])
        }
        for row in try c.query("""
            SELECT \(Self.debtColumns), dispute_reason, thanks_pending FROM debts WHERE customer_id = ANY($1::text[]) ORDER BY id
            """, args, operation: "load debts") {
            let d = Self.debt(row)
            if row["dispute_reason"] != nil { cases[d.customerID]?.disputed.insert(d.id) }
            if row.bool("thanks_pending") { cases[d.customerID]?.thanksDue.insert(d.id) }
            cases[d.customerID]?.debts.append(d)
        }
        for row in try c.query("""
            SELECT d.customer_id, i.debt_id, i.due_date, i.step_id FROM attempt_items i JOIN debts d ON d.id = i.debt_id
            WHERE d.customer_id = ANY($1::text[])
            """, args, operation: "load claimed steps") {
            guard let due = CalendarDate(iso: row.text("due_date")) else { continue }
            cases[row.text("customer_id")]?.ledger.insert(StepKey(debtID: row.text("debt_id"), dueDate: due, stepID: row.text("step_id")))
        }
        // Ordered so that each debt's latest promise is the one kept.
        for row in try c.query("""
            SELECT d.customer_id, p.debt_id, p.promised_through, p.step_id FROM promises p
            JOIN debts d ON d.id = p.debt_id AND d.due_date = p.due_date
            WHERE d.customer_id = ANY($1::text[]) AND d.paid_at IS NULL ORDER BY p.created_at
            """, args, operation: "load promises") {
            guard let through = CalendarDate(iso: row.text("promised_through")) else { continue }
            cases[row.text("customer_id")]?.promises[row.text("debt_id")] = DebtPromise(through: through, stepID: row.text("step_id"))
        }
        for row in try c.query("""
            SELECT customer_id, created_at FROM attempts
            WHERE customer_id = ANY($1::text[]) AND NOT handoff AND kind = 'reminder' AND created_at > $2
              AND state IN ('claimed', 'sending', 'sent', 'retry', 'in_doubt')
            """, args + [PostgresValue.time(now.addingTimeInterval(-7 * 86_400))], operation: "load recent contacts") {
            if let at = row.date("created_at") { cases[row.text("customer_id")]?.recentContacts.append(at) }
        }
        return ids.compactMap { cases[$0] }
    }

    /// Stores when each debt is next looked at, why a due reminder waits (if it does), and the
    /// customers' current segments, in the transaction open on `c` (as `SQLiteLedger.saveChecks`):
    /// two statements for the whole chunk, each row's values passed as arrays.
    func saveChecks(_ c: PostgresConnection, _ plans: [CustomerPlan], now: Date) throws(PostgresError) {
        guard !plans.isEmpty else { return }
        // Only a changed segment is written: the same one, tick after tick, would rewrite the row.
        try c.query("""
            UPDATE customers c SET segment = v.segment FROM unnest($1::text[], $2::text[]) AS v(id, segment)
            WHERE c.id = v.id AND c.segment IS DISTINCT FROM v.segment
            """, [PostgresValue.array(plans.map(\.customerID)), PostgresValue.array(plans.map(\.segment))], operation: "save segments")
        let checks = plans.flatMap { plan in
            plan.nextCheck.map { debt, next in (debt: debt, next: next, hold: plan.held.first { $0.key.debtID == debt }) }
        }
        guard !checks.isEmpty else { return }
        try c.query("""
            UPDATE debts d SET next_check_at = v.next, hold_reason = v.reason, hold_until = v.until, held_at = v.held
            FROM unnest($1::text[], $2::double precision[], $3::text[], $4::double precision[], $5::double precision[]) AS v(id, next, reason, until, held)
            WHERE d.id = v.id
            """, [PostgresValue.array(checks.map(\.debt)), PostgresValue.array(checks.map { PostgresValue.time($0.next) }),
                  PostgresValue.array(checks.map { $0.hold?.reason.rawValue }), PostgresValue.array(checks.map { PostgresValue.time($0.hold?.until) }),
                  PostgresValue.array(checks.map { $0.hold == nil ? nil : PostgresValue.time(now) })], operation: "save next checks")
    }
}
