import Foundation
import LembraCore
import LembraStore

// What the lanes read and record: the ports of `SQLiteLedger+Attempts` and `+Pending`, every
// update guarded by its `AttemptTransition`. With several daemons, a `sending` attempt carries
// its owner and a lease (`owner`, `lease_until`): the daemon marking it writes both, and each
// commit of its lanes (one per batch) renews the lease of all its attempts still `sending`, so
// recovery elsewhere takes over only the sends of a daemon that stopped committing. A lease must
// therefore outlast one batch on the wire (the transfer timeouts of a batch, well under the
// default five minutes of `leaseSeconds`).
extension PostgresLedger {
    /// The channels with an attempt ready to go: claimed, or a retry whose time has come.
    public func sendableChannels(now: Date) throws(StoreError) -> [String] {
        try withConnection("load sendable channels") { c throws(PostgresError) in
            try c.query("""
                SELECT DISTINCT channel FROM attempts WHERE state = 'claimed' OR (state = 'retry' AND next_try_at <= $1) ORDER BY channel
                """, [PostgresValue.time(now)], operation: "load sendable channels").map { $0.text("channel") }
        }
    }

    /// One channel's attempts ready to go, oldest first, with the customer's zone and flags and
    /// whether a debt they cover was paid or disputed since (as `SQLiteLedger.pending`). The
    /// claimed ones and the due retries are each read in order from the index, then merged.
    public func pending(now: Date, channel: String, limit: Int) throws(StoreError) -> [PendingAttempt] {
        try withConnection("load pending attempts") { c throws(PostgresError) in
            try c.query("""
                SELECT \(Self.attemptColumns), c.timezone AS customer_timezone, c.paused_through, COALESCE(c.opted_out, false) AS opted_out,
                       EXISTS (SELECT 1 FROM attempt_items i JOIN debts d ON d.id = i.debt_id
                               WHERE i.attempt_id = a.id AND d.paid_at IS NOT NULL) AS any_paid,
                       EXISTS (SELECT 1 FROM attempt_items i JOIN debts d ON d.id = i.debt_id
                               WHERE i.attempt_id = a.id AND d.dispute_reason IS NOT NULL) AS any_disputed
                FROM attempts a LEFT JOIN customers c ON c.id = a.customer_id
                WHERE a.id IN (
                  (SELECT id FROM attempts WHERE channel = $1 AND state = 'claimed' ORDER BY created_at, id LIMIT $3)
                  UNION ALL
                  (SELECT id FROM attempts WHERE channel = $1 AND state = 'retry' AND next_try_at <= $2 ORDER BY created_at, id LIMIT $3))
                ORDER BY a.created_at, a.id LIMIT $3
                """, [channel, PostgresValue.time(now), String(limit)], operation: "load pending attempts").map { row in
                let attempt = Self.attempt(row)
                return PendingAttempt(attempt: attempt, facts: PendingFacts(
                    kind: PlannedMessage.Kind(rawValue: attempt.kind) ?? .reminder, timezone: row["customer_timezone"],
                    pausedThrough: row["paused_through"].flatMap(Self.pauseDay), optedOut: row.bool("opted_out"),
                    anyDebtPaid: row.bool("any_paid"), anyDebtDisputed: row.bool("any_disputed")))
            }
        }
    }

    /// Records the tick's recheck of its leftovers in one commit (as `SQLiteLedger.settle`): those
    /// waiting for the window become `retry` at its opening, the others are cancelled
    /// (`cancelPending`). Only attempts still pending are touched. Returns the ids cancelled.
    ///
    /// The customers of every attempt (and of their debts) are locked first, in id order, as a
    /// claim locks its own: cancelling attempt by attempt would take them in the recheck's order
    /// and could deadlock with a claim of the same customers.
    @discardableResult
    public func settle(waiting: [(id: String, until: Date, reason: HoldReason)], cancelling: [(id: String, reason: CancelReason)],
                       now: Date) throws(StoreError) -> Set<String> {
        guard !waiting.isEmpty || !cancelling.isEmpty else { return [] }
        return try transaction("recheck pending attempts") { c in
            try lockCustomers(c, where: Self.customersOfAttempts("$1"), [PostgresValue.array(waiting.map(\.id) + cancelling.map(\.id))])
            for w in waiting {
                try c.query("""
                    UPDATE attempts SET state = 'retry', next_try_at = $2, reason = $3, updated_at = $4
                    WHERE id = $1 AND \(AttemptTransition.waitForWindow.postgresGuard())
                    """, [w.id, PostgresValue.time(w.until), w.reason.rawValue, PostgresValue.time(now)], operation: "recheck pending attempts")
            }
            var cancelled = Set<String>()
            for x in cancelling where try cancelPending(c, .attempt(x.id), reason: x.reason, now: now) > 0 { cancelled.insert(x.id) }
            return cancelled
        }
    }

    public func record(_ outcomes: [(id: String, outcome: AttemptOutcome)], now: Date) throws(StoreError) {
        _ = try record(outcomes, markingSending: [], now: now)
    }

    /// Records one batch's outcomes and marks the next batch `sending` (owned by this daemon,
    /// leased until `now + leaseSeconds`) in one commit, which also renews the lease of this
    /// daemon's other attempts still `sending`. Only attempts still waiting are marked, and only
    /// those returned (see `SQLiteLedger.record(_:markingSending:now:)` for why that suffices).
    public func record(_ outcomes: [(id: String, outcome: AttemptOutcome)], markingSending ids: [String], now: Date) throws(StoreError) -> Set<String> {
        guard !outcomes.isEmpty || !ids.isEmpty else { return [] }
        return try transaction(ids.isEmpty ? "record outcomes" : "mark sending") { c in
            try record(c, outcomes, now: now)
            // One statement for the batch: the guard is checked row by row all the same.
            let marked = ids.isEmpty ? [] : try c.query("""
                UPDATE attempts SET state = 'sending', owner = $2, lease_until = $3::double precision + $4::double precision, updated_at = $3
                WHERE id = ANY($1::text[]) AND \(AttemptTransition.markSending.postgresGuard(now: "$3")) RETURNING id
                """, [PostgresValue.array(ids), settings.owner, PostgresValue.time(now), String(settings.leaseSeconds)], operation: "mark sending")
            try renewSendingLeases(c, now: now)
            return Set(marked.map { $0.text("id") })
        }
    }

    /// Records one batch's outcomes and holds `ids` (still waiting) as `retry` until `until`, in
    /// one commit, without spending a try (as `SQLiteLedger.record(_:holding:until:reason:now:)`).
    public func record(_ outcomes: [(id: String, outcome: AttemptOutcome)], holding ids: [String], until: Date, reason: String,
                       now: Date) throws(StoreError) -> Set<String> {
        guard !outcomes.isEmpty || !ids.isEmpty else { return [] }
        return try transaction("hold for channel") { c in
            try record(c, outcomes, now: now)
            let held = ids.isEmpty ? [] : try c.query("""
                UPDATE attempts SET state = 'retry', reason = $2, next_try_at = $4, updated_at = $3
                WHERE id = ANY($1::text[]) AND \(AttemptTransition.holdForChannel.postgresGuard(now: "$3")) RETURNING id
                """, [PostgresValue.array(ids), reason, PostgresValue.time(now), PostgresValue.time(until)], operation: "hold for channel")
            try renewSendingLeases(c, now: now)
            return Set(held.map { $0.text("id") })
        }
    }

    /// Writes `outcomes` to the attempts still `sending` and still this daemon's to settle (its
    /// own, or recovered from a daemon whose lease ran out); a try is spent by every outcome but
    /// `channelDown`. The lease ends with the send. A daemon that stalled past its lease and
    /// comes back finds the attempt taken over: its late outcome does not overwrite the state
    /// the other daemon's recovery and send are writing.
    private func record(_ c: PostgresConnection, _ outcomes: [(id: String, outcome: AttemptOutcome)], now: Date) throws(PostgresError) {
        for (id, outcome) in outcomes {
            let (state, reason, next, arrived): (AttemptState, String?, Date?, Bool) = switch outcome {
            case .sent: (.sent, nil, nil, true)
            case .retry(let at, let why, let maybe): (.retry, why, at, maybe)
            case .dead(let why): (.dead, why, nil, false)
            case .inDoubt(let why): (.inDoubt, why, nil, true)
            case .channelDown(let at, let why): (.retry, why, at, false)
            }
            let spent = if case .channelDown = outcome { 0 } else { 1 }
            try c.query("""
                UPDATE attempts SET state = $2, reason = $3, next_try_at = $4, tries = tries + $5,
                                    may_have_arrived = may_have_arrived OR $6, lease_until = NULL, updated_at = $7
                WHERE id = $1 AND \(AttemptTransition.recordOutcome.postgresGuard()) AND \(Self.settleableBy("$8", now: "$7"))
                """, [id, state.rawValue, reason, PostgresValue.time(next), String(spent), PostgresValue.bool(arrived), PostgresValue.time(now),
                      settings.owner],
                        operation: "record outcomes")
        }
    }

    /// A `sending` attempt the daemon `owner` may settle at `now` (parameter names): its own, or
    /// one whose owner's lease ran out (as `PostgresLeases.recoverableSends` finds them).
    static func settleableBy(_ owner: String, now: String) -> String {
        "(owner = \(owner) OR owner IS NULL OR lease_until <= \(now))"
    }

    /// The heartbeat: this daemon's attempts still `sending` stay its own for another lease.
    /// Rows another lane of this daemon has locked are skipped, not waited for: that lane is
    /// marking or recording them, which writes their lease itself; waiting would let two lanes
    /// renewing at once each hold what the other needs (a deadlock, seen in the fault campaign).
    private func renewSendingLeases(_ c: PostgresConnection, now: Date) throws(PostgresError) {
        try c.query("""
            UPDATE attempts SET lease_until = $2::double precision + $3::double precision
            WHERE id IN (SELECT id FROM attempts WHERE state = 'sending' AND owner = $1 FOR UPDATE SKIP LOCKED)
            """, [settings.owner, PostgresValue.time(now), String(settings.leaseSeconds)], operation: "renew sending leases")
    }

    /// Of `ids`, those still `sending` under another owner (one whose lease ran out), or none.
    public func markedByAnotherDaemon(_ ids: [String]) throws(StoreError) -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return try withConnection("load interrupted attempts") { c throws(PostgresError) in
            Set(try c.query("""
                SELECT id FROM attempts WHERE id = ANY($1::text[]) AND state = 'sending' AND owner IS DISTINCT FROM $2
                """, [PostgresValue.array(ids), settings.owner], operation: "load interrupted attempts").map { $0.text("id") })
        }
    }

    /// The attempts left `sending` that this daemon may recover: its own (it restarted, or its
    /// tick failed mid-batch) and those of a daemon whose lease ran out by the clock now; never
    /// another live daemon's (`PostgresLeases.recoverableSends`).
    public func interrupted(now: Date) throws(StoreError) -> [Attempt] {
        try withConnection("load interrupted attempts") { c throws(PostgresError) in
            let ids = try leases(c).recoverableSends(now: now.timeIntervalSince1970)
            guard !ids.isEmpty else { return [] }
            return try c.query("SELECT \(Self.attemptColumns) FROM attempts a WHERE a.id = ANY($1::text[]) ORDER BY a.created_at, a.id",
                               [PostgresValue.array(ids)], operation: "load interrupted attempts").map(Self.attempt)
        }
    }

    /// Moves interrupted attempts still `sending` to `state` in one commit (as
    /// `SQLiteLedger.recoverInterrupted`), only while they are still this daemon's to recover (its
    /// own, or their owner's lease ran out): two daemons recovering the same dead daemon's sends
    /// move each once, and a send whose owner came back to renew it is left to that owner.
    public func recoverInterrupted(_ ids: [String], to state: AttemptState, reason: String, mayHaveArrived: Bool, now: Date) throws(StoreError) {
        precondition(AttemptTransition.recoverInterrupted.to.contains(state), "an interrupted send goes back to claimed or in_doubt")
        guard !ids.isEmpty else { return }
        _ = try transaction("mark \(state.rawValue)") { c in
            try c.query("""
                UPDATE attempts SET state = $2, reason = $3, may_have_arrived = may_have_arrived OR $4, owner = NULL, lease_until = NULL, updated_at = $5
                WHERE id = ANY($1::text[]) AND \(AttemptTransition.recoverInterrupted.postgresGuard()) AND \(Self.settleableBy("$6", now: "$5"))
                """, [PostgresValue.array(ids), state.rawValue, reason, PostgresValue.bool(mayHaveArrived), PostgresValue.time(now), settings.owner],
                        operation: "mark \(state.rawValue)")
        }
    }
}
