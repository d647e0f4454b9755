import Foundation
import GRDB
import LembraCore

extension SQLiteLedger {
    /// Writes the planned messages as attempts, and saves the plans' next checks, in one
    /// transaction committed before anything is sent: a tick planning a chunk of customers makes
    /// one commit for both, and a crash leaves neither half without the other. A message any of
    /// whose steps is already in the ledger is not claimed (the unique key makes a second claim
    /// impossible, even from another process). Returns the claimed ids.
    ///
    /// It does not look at pauses, opt-outs, disputes or payments: the plans must be current.
    /// The tick claims through `claim(_:saving:now:ifControlsAt:)`, which makes sure of that.
    public func claim(_ requests: [ClaimRequest], saving plans: [CustomerPlan] = [], now: Date) throws(StoreError) -> [String] {
        try write("claim") { db in try claim(db, requests, saving: plans, now: now) }
    }

    /// As `claim(_:saving:now:)`, but only if the controls version is still `version`, the one
    /// read with the cases the plans came from (`planningSnapshot(customerIDs:now:)`); otherwise
    /// nothing is written and the result is `.stale`.
    ///
    /// A control committed between the planner's read and this claim found nothing pending to
    /// cancel, so without this check the stale plan would go out: a reminder after a pause, an
    /// opt-out, a dispute or a payment. Checked first, under the write lock (writes begin
    /// IMMEDIATE), so no control can commit between the check and the claim; one controlled
    /// after this commit cancels the claimed attempts before they are marked `sending`.
    ///
    /// The tick's claims return without waiting for their sync (`WALSync`): nothing goes out on a
    /// claim alone, only on the `sending` mark a lane commits and syncs later, and that sync makes
    /// the claim durable too (a sync covers every commit before it). A power cut before it loses the claim
    /// and the next checks saved with it together, so the next tick plans those steps again.
    public func claim(_ requests: [ClaimRequest], saving plans: [CustomerPlan] = [], now: Date,
                      ifControlsAt version: Int64) throws(StoreError) -> ClaimResult {
        try write("claim", syncing: false) { db in
            guard try controlsVersion(db) == version else { return .stale }
            return .claimed(try claim(db, requests, saving: plans, now: now))
        }
    }

    /// The claims, the plans' skipped steps and the next checks, in `db`'s transaction.
    private func claim(_ db: Database, _ requests: [ClaimRequest], saving plans: [CustomerPlan], now: Date) throws -> [String] {
        var tally = FinalStateTally()
        let claimed = try claim(db, requests, now: now, tally: &tally)
        try recordSkipped(db, plans, now: now, tally: &tally)
        try saveChecks(db, plans, now: now)
        try tally.save(db)
        return claimed
    }

    /// Records each step the plans give up for good (`CustomerPlan.skipped`) as a `skipped`
    /// attempt with its reason, unless the step is in the ledger already.
    private func recordSkipped(_ db: Database, _ plans: [CustomerPlan], now: Date, tally: inout FinalStateTally) throws {
        for plan in plans {
            for step in plan.skipped {
                try insertAttempt(db, id: ClaimRequest.newAttemptID(now: now), message: step.message, state: .skipped,
                                  reason: step.reason.rawValue, payload: Data(), steps: [step.key], now: now, tally: &tally)
            }
        }
    }

    private func claim(_ db: Database, _ requests: [ClaimRequest], now: Date, tally: inout FinalStateTally) throws -> [String] {
        var claimed: [String] = []
        for r in requests {
            guard try insertAttempt(db, id: r.attemptID, message: r.message, state: r.skipReason == nil ? .claimed : .skipped,
                                    reason: r.skipReason, payload: r.payload, steps: r.message.items.map(\.key), now: now,
                                    tally: &tally) else { continue }
            for key in r.message.superseded {
                var skipped = r.message
                skipped.items = r.message.items.filter { $0.debt.id == key.debtID }.map { var i = $0; i.stepID = key.stepID; return i }
                try insertAttempt(db, id: ClaimRequest.newAttemptID(now: now), message: skipped, state: .skipped,
                                  reason: SkipReason.superseded.rawValue, payload: Data(), steps: [key], now: now, tally: &tally)
            }
            if r.message.kind == .thanks {
                for item in r.message.items {
                    try db.cachedStatement(sql: "UPDATE debts SET thanks_pending = 0 WHERE id = ?").execute(arguments: [item.debt.id])
                }
            }
            if r.skipReason == nil { claimed.append(r.attemptID) }
        }
        return claimed
    }

    /// Writes an attempt, its steps and then its payload, unless one of the steps is in the ledger
    /// already: then nothing of it stays and the result is false. The steps' unique key answers
    /// that as each is inserted (`insertItem`), so the common case, a step not yet claimed, costs
    /// no lookup; the attempt written before a taken step is found is deleted again (a step is
    /// taken only when another process claimed it meanwhile, or when a plan repeats a superseded
    /// step). The payload goes last, so that case never writes it. An attempt written `skipped`
    /// is counted in `tally`.
    @discardableResult
    private func insertAttempt(_ db: Database, id: String, message m: PlannedMessage, state: AttemptState, reason: String?, payload: Data,
                               steps: [StepKey], now: Date, tally: inout FinalStateTally) throws -> Bool {
        let seq = try insertAttempt(db, id: id, message: m, state: state, reason: reason, now: now)
        for key in steps where try !insertItem(db, attempt: seq, key) {
            try db.cachedStatement(sql: "DELETE FROM attempt_items WHERE attempt = ?").execute(arguments: [seq])
            try db.cachedStatement(sql: "DELETE FROM attempts WHERE seq = ?").execute(arguments: [seq])
            return false
        }
        try insertPayload(db, seq: seq, payload)
        tally.add(state)
        return true
    }

    /// Writes an attempt's payload, once, under its integer key (see the migration "attempt
    /// payloads"); an empty one (a skipped attempt: nothing to send) is not written.
    func insertPayload(_ db: Database, seq: Int64, _ payload: Data) throws {
        guard !payload.isEmpty else { return }
        try db.run("INSERT INTO attempt_payloads (attempt, payload) VALUES (?, ?)", [.integer(seq), .blob(payload)])
    }

    /// Whether a step was ever claimed: read from `attempt_items`, whose key is the step.
    func isInLedger(_ db: Database, _ key: StepKey) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM attempt_items WHERE debt_id = ? AND due_date = ? AND step_id = ?"),
                          arguments: [key.debtID, key.dueDate.iso, key.stepID]) ?? false
    }

    /// Records a step as claimed by the attempt whose integer key (`seq`) is `attempt`; false,
    /// writing nothing, when the step is in the ledger already. The insert meets the table's key,
    /// the step (see the migration "attempt items: keyed by their step"), so it asks without a
    /// lookup first.
    @discardableResult
    func insertItem(_ db: Database, attempt: Int64, _ key: StepKey) throws -> Bool {
        try db.run("""
            INSERT INTO attempt_items (attempt, debt_id, due_date, step_id) VALUES (?, ?, ?, ?)
            ON CONFLICT (debt_id, due_date, step_id) DO NOTHING
            """, [.integer(attempt), .text(key.debtID), .text(key.dueDate.iso), .text(key.stepID)]) > 0
    }

    /// Writes an attempt's row, without its payload (`insertPayload`), and returns its integer key.
    @discardableResult
    func insertAttempt(_ db: Database, id: String, message m: PlannedMessage, state: AttemptState, reason: String?, now: Date) throws -> Int64 {
        let t = now.timeIntervalSince1970
        try db.run("""
            INSERT INTO attempts (id, customer_id, kind, channel, template, segment, step_id, handoff, state, reason, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(id), .text(m.customerID), .text(m.kind.rawValue), .text(m.channel), .text(m.template), .text(m.segment),
                   .text(m.stepID), .bool(m.handoff), .text(state.rawValue), .text(reason), .real(t), .real(t)])
        return db.insertedRowID
    }

    /// Attempts ready to go: claimed ones (including those a crash left unsent) and retries whose
    /// time has come, oldest first, and those of one instant in the order they were claimed.
    ///
    /// For one channel (the tick reads its leftovers so at its start) the claimed and the due
    /// retries are each read in order from an index and only those few are sorted together: one
    /// query with the `OR` would sort every claimed attempt of the channel.
    public func sendable(now: Date, channel: String? = nil, limit: Int = 1_000) throws(StoreError) -> [Attempt] {
        try read("load sendable attempts") { db in
            guard let channel else {
                return try fetchAttempts(db, where: Self.sendableCondition, [now.timeIntervalSince1970], order: "created_at, seq", limit: limit)
            }
            return try fetchAttempts(db, where: SQLiteLedger.sendableClause(limit: limit), [channel, channel, now.timeIntervalSince1970],
                                     order: "created_at, seq", limit: limit)
        }
    }

    /// One channel's sendable attempts (arguments: channel, channel, now), for `a.` in a query.
    static func sendableClause(limit: Int) -> String {
        """
        a.seq IN (
          SELECT seq FROM (SELECT seq FROM attempts WHERE channel = ? AND state = 'claimed'
                           ORDER BY created_at, seq LIMIT \(limit))
          UNION ALL
          SELECT seq FROM (SELECT seq FROM attempts WHERE channel = ? AND state = 'retry' AND next_try_at <= ?
                           ORDER BY created_at, seq LIMIT \(limit)))
        """
    }

    /// The channels that have attempts ready to go.
    public func sendableChannels(now: Date) throws(StoreError) -> [String] {
        try read("load sendable channels") { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT channel FROM attempts WHERE \(Self.sendableCondition) ORDER BY channel",
                                arguments: [now.timeIntervalSince1970])
        }
    }

    /// Claimed attempts and retries due (argument: now), read from `attempts_to_send`: its
    /// condition stands as a term of its own, which SQLite needs to see the index can serve.
    static let sendableCondition = "\(toSendCondition) AND (state = 'claimed' OR next_try_at <= ?)"

    /// The attempts `attempts_to_send` holds (its condition, as the migration wrote it).
    static let toSendCondition = "(state = 'claimed' OR state = 'retry')"

    /// The attempts `attempts_unsettled` holds (its condition, as the migration "attempt counts"
    /// wrote it): those neither `attempt_counts` counts nor `attempts_to_send` holds.
    static let unsettledCondition = "(state = 'sending' OR state = 'in_doubt' OR state = 'dead')"

    /// Attempts left `sending` by a process that stopped before recording the outcome. (`now`
    /// is for the shared ledger's leases; one daemon per SQLite file owns every send.)
    public func interrupted(now: Date) throws(StoreError) -> [Attempt] {
        try read("load interrupted attempts") { db in try fetchAttempts(db, where: "state = 'sending'", [], limit: 100_000) }
    }

    /// Moves attempts left `sending` to `state` in one commit (the tick's recovery: back to
    /// `claimed`, or `in_doubt`; `AttemptTransition.recoverInterrupted`). `mayHaveArrived`
    /// records that they may have reached the customer (an interrupted send): then a
    /// cancellation never gives their steps back. An attempt no longer `sending` is left alone.
    public func recoverInterrupted(_ ids: [String], to state: AttemptState, reason: String, mayHaveArrived: Bool,
                                   now: Date) throws(StoreError) {
        precondition(AttemptTransition.recoverInterrupted.to.contains(state), "an interrupted send goes back to claimed or in_doubt")
        guard !ids.isEmpty else { return }
        try write("mark \(state.rawValue)") { db in
            for id in ids {
                try db.cachedStatement(sql: Self.recoverSQL)
                    .execute(arguments: [state.rawValue, reason, mayHaveArrived, now.timeIntervalSince1970, id])
            }
        }
    }

    /// Records outcomes in one commit. Only attempts still `sending` are updated, so a payment
    /// that cancelled a retry in the meantime is not overwritten.
    public func record(_ outcomes: [(id: String, outcome: AttemptOutcome)], now: Date) throws(StoreError) {
        _ = try record(outcomes, markingSending: [], now: now)
    }

    /// Records one batch's outcomes and marks the next batch `sending`, in one commit (either may
    /// be empty), so a lane of the tick pays one `fsync` per batch. Only attempts still waiting
    /// (`claimed`, or `retry` whose time has come) are marked, and only those are returned: one
    /// that a payment, a pause, a dispute or an opt-out cancelled since it was read must not be
    /// sent, nor a retry before its time (another process may have tried it meanwhile).
    ///
    /// The mark checks only the attempt's own state, never the customer's window or flags: that
    /// would be a query per attempt on the hot path. It needs none, because every path to a
    /// pending attempt is covered once:
    /// - a control committed before a fresh claim was written makes that claim stale: the
    ///   planner read its cases with the controls version, and the claim is refused when the
    ///   version moved since (`claim(_:saving:now:ifControlsAt:)`), then planned again;
    /// - a control committed after the claim (or after a leftover was read) cancels the pending
    ///   attempt in its own transaction, so this mark, which requires a pending state, skips it;
    /// - leftovers are checked once when the tick reads them (`Planner.recheck`).
    public func record(_ outcomes: [(id: String, outcome: AttemptOutcome)], markingSending ids: [String], now: Date) throws(StoreError) -> Set<String> {
        try commit([LaneCommit(outcomes, markingSending: ids)], now: now)[0]
    }

    /// Records one batch's outcomes and makes the attempts `ids` wait as `retry` until `until`
    /// with `reason`, in one commit: their channel went down this tick (`AttemptOutcome.channelDown`),
    /// so they are not sent. Only attempts still waiting (`claimed`, or `retry` whose time has
    /// come) are moved, without spending a try; those are returned. They never left, so nothing
    /// about them may have arrived.
    public func record(_ outcomes: [(id: String, outcome: AttemptOutcome)], holding ids: [String], until: Date, reason: String,
                       now: Date) throws(StoreError) -> Set<String> {
        try commit([LaneCommit(outcomes, holding: ids, until: until, reason: reason)], now: now)[0]
    }

    /// Writes `outcomes` to the attempts still `sending`, in `db`'s transaction, counting in
    /// `tally` those that became final. A try is spent by every outcome but `channelDown`.
    func record(_ db: Database, _ outcomes: [(id: String, outcome: AttemptOutcome)], at t: Double, tally: inout FinalStateTally) throws {
        for (id, outcome) in outcomes {
            let (state, reason, next, arrived): (AttemptState, String?, Double?, Bool) = switch outcome {
            case .sent: (.sent, nil, nil, true)
            case .retry(let at, let why, let maybe): (.retry, why, at.timeIntervalSince1970, maybe)
            case .dead(let why): (.dead, why, nil, false)
            case .inDoubt(let why): (.inDoubt, why, nil, true)
            case .channelDown(let at, let why): (.retry, why, at.timeIntervalSince1970, false)
            }
            let spent: Int = if case .channelDown = outcome { 0 } else { 1 }
            let changed = try db.run(Self.outcomeSQL, [.text(state.rawValue), .text(reason), .real(next), .integer(Int64(spent)),
                                                       .bool(arrived), .real(t), .text(id)])
            tally.add(state, changed)
        }
    }

    // The updates of an attempt's state, each guarded by its transition (`AttemptTransition`;
    // marking `sending` and holding: `SQLiteLedger+GroupCommit.swift`).
    private static let outcomeSQL = """
        UPDATE attempts SET state = ?, reason = ?, next_try_at = ?, tries = tries + ?,
                            may_have_arrived = may_have_arrived OR ?, updated_at = ?
        WHERE id = ? AND \(AttemptTransition.recordOutcome.guardClause)
        """
    private static let recoverSQL = """
        UPDATE attempts SET state = ?, reason = ?, may_have_arrived = may_have_arrived OR ?, updated_at = ?
        WHERE id = ? AND \(AttemptTransition.recoverInterrupted.guardClause)
        """

    func fetchAttempts(_ db: Database, where clause: String, _ args: [any DatabaseValueConvertible], order: String = "created_at, id",
                       limit: Int) throws -> [Attempt] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT \(SQLiteLedger.attemptColumns)
            FROM \(SQLiteLedger.attemptsWithPayloads) WHERE \(clause) ORDER BY \(order) LIMIT \(limit)
            """, arguments: StatementArguments(args))
        return rows.map(SQLiteLedger.attempt)
    }

    /// The debts an attempt covers, space-separated: its items, or the steps it gave back when it
    /// was cancelled (SQLite's `COALESCE` reads the second only when the first is NULL).
    static let attemptDebtIDs = """
        COALESCE((SELECT group_concat(debt_id, ' ') FROM attempt_items i WHERE i.attempt = a.seq),
                 (SELECT group_concat(debt_id, ' ') FROM released_items r WHERE r.attempt_id = a.id))
        """

    /// The attempts (`a`) with their payloads (`p`), for `attemptColumns`. A `LEFT JOIN`: an
    /// attempt with nothing to send has no payload row.
    static let attemptsWithPayloads = "attempts a LEFT JOIN attempt_payloads p ON p.attempt = a.seq"

    /// The columns `attempt(_:)` reads (`AttemptColumn`), from `attemptsWithPayloads`.
    static let attemptColumns = AttemptColumn.selectList

    static func attempt(_ row: Row) -> Attempt {
        typealias A = AttemptColumn
        return Attempt(
            id: row[A.id.position], customerID: row[A.customerID.position], kind: row[A.kind.position],
            channel: row[A.channel.position], template: row[A.template.position], segment: row[A.segment.position],
            stepID: row[A.stepID.position], handoff: row[A.handoff.position],
            state: AttemptState(rawValue: row[A.state.position]) ?? .dead, reason: row[A.reason.position], tries: row[A.tries.position],
            nextTryAt: (row[A.nextTryAt.position] as Double?).map(Date.init(timeIntervalSince1970:)),
            payload: (row[A.payload.position] as Data?) ?? Data(),
            createdAt: Date(timeIntervalSince1970: row[A.createdAt.position]),
            updatedAt: Date(timeIntervalSince1970: row[A.updatedAt.position]),
            debtIDs: ((row[A.debtIDs.position] as String?) ?? "").split(separator: " ").map(String.init))
    }
}
