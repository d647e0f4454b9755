import Foundation
import LembraCore

/// Claims and outcomes: what a tick asks of the ledger, from finding the customers due to
/// recording what each send did. Implemented by `SQLiteLedger` and by the PostgreSQL ledger
/// shared by several daemons; the contract tests run against both.
///
/// The guarantees every implementation keeps: an attempt is claimed (committed) before it is
/// sent and marked `sending` (committed) before it goes on the wire, so a step is never sent
/// twice; a claim is refused when a control committed after the planner's read; every state
/// change follows `AttemptTransition`.
public protocol LedgerClaims: Sendable {
    /// Fails when the ledger may no longer be written safely (`StoreError.ledgerUnusable`), before
    /// the tick claims anything: a SQLite file replaced while open, a PostgreSQL ledger migrated
    /// by a newer Lembra.
    func checkUsable() throws(StoreError)

    /// Re-plans every open debt when the policy's fingerprint differs from the one the ledger
    /// was last planned under; true when it did.
    func planAgainIfPolicyChanged(fingerprint: Int32, now: Date) throws(StoreError) -> Bool

    /// Up to `limit` customers with a check due by `now`, for this tick to plan. With several
    /// daemons on one ledger, each gets different customers (they are leased to it until its
    /// claim commits, or the lease runs out).
    func dueCustomerIDs(now: Date, limit: Int) throws(StoreError) -> [String]

    /// The planner's view of `customerIDs`, read together with their controls version.
    func planningSnapshot(customerIDs: [String], now: Date) throws(StoreError) -> PlanningSnapshot

    /// Claims `requests` and saves `plans`' skipped steps and next checks in one commit, if no
    /// control that stops messages committed for these customers since `version` was read (and,
    /// on a shared ledger, no other daemon leased one of them since); otherwise writes nothing
    /// and answers `.stale` (or `.leasedElsewhere`). On SQLite the claim may not be on disk yet
    /// when this returns: nothing is sent on a claim alone, and the `sending` mark's sync, later
    /// in the WAL, covers it (`syncCommitted()`).
    func claim(_ requests: [ClaimRequest], saving plans: [CustomerPlan], now: Date, ifControlsAt version: Int64) throws(StoreError) -> ClaimResult

    /// Channels with an attempt ready to go at `now`.
    func sendableChannels(now: Date) throws(StoreError) -> [String]

    /// Up to `limit` of one channel's attempts ready to go, with what the planner needs to check
    /// them again before they are sent.
    func pending(now: Date, channel: String, limit: Int) throws(StoreError) -> [PendingAttempt]

    /// Records the recheck of pending attempts: those waiting for the window become `retry` at
    /// its opening, the others are cancelled. Returns the ids cancelled.
    @discardableResult
    func settle(waiting: [(id: String, until: Date, reason: HoldReason)], cancelling: [(id: String, reason: CancelReason)],
                now: Date) throws(StoreError) -> Set<String>

    /// Records outcomes of attempts that were `sending`.
    func record(_ outcomes: [(id: String, outcome: AttemptOutcome)], now: Date) throws(StoreError)

    /// Records outcomes and marks the next batch `sending`, in one commit. Returns the ids marked
    /// (an attempt cancelled meanwhile is not).
    func record(_ outcomes: [(id: String, outcome: AttemptOutcome)], markingSending ids: [String], now: Date) throws(StoreError) -> Set<String>

    /// Records outcomes and holds `ids` (claimed, not sent) for their channel until `until`.
    func record(_ outcomes: [(id: String, outcome: AttemptOutcome)], holding ids: [String], until: Date, reason: String,
                now: Date) throws(StoreError) -> Set<String>

    /// Several lanes' commits at once (a group commit: the lanes of a channel that want to
    /// commit while another commit is in flight share the next one, `GroupCommit`). Each request
    /// is applied as its own `record(_:markingSending:now:)` or `record(_:holding:until:reason:now:)`
    /// would be, atomically (its outcomes and its next batch's mark or hold commit together);
    /// a backend may put several requests in one transaction. Returns, for each request in
    /// order, the ids it marked or held, or the error of the commit it was in: a failed request
    /// wrote nothing, and one that succeeded is durable once `syncCommitted()` returns after it.
    func record(group: [LaneCommit], now: Date) -> [Result<Set<String>, StoreError>]

    /// Returns once every commit `record(group:now:)` made so far is on disk (SQLite syncs its
    /// log after the commit, out of the writer's turn, `WALSync`; PostgreSQL's commits are
    /// durable when they return). A lane calls it before it sends what its commit marked.
    func syncCommitted() throws(StoreError)

    /// Whether `record(group:now:)` puts a group in one transaction, paying one sync for all
    /// (SQLite). When it doesn't (PostgreSQL: one transaction per request, and the server
    /// commits concurrent transactions in parallel), lanes gain nothing by queueing behind each
    /// other's commits, so `GroupCommit` lets each commit at once.
    var sharesCommits: Bool { get }

    /// Attempts left `sending` by a crash that this process may recover (with several daemons:
    /// its own, and those whose owner's lease ran out by `now`; never another live daemon's).
    func interrupted(now: Date) throws(StoreError) -> [Attempt]

    /// Of the interrupted attempts `ids`, those another daemon marked `sending` (it is gone: its
    /// lease ran out). This host's progress file knows nothing of them, and an event it holds for
    /// one of those ids (this daemon prepared it too, and lost the mark) must not be believed:
    /// they are recovered as without a file. Always empty for a ledger only one daemon uses.
    func markedByAnotherDaemon(_ ids: [String]) throws(StoreError) -> Set<String>

    /// Moves interrupted attempts still `sending` to `state` (`claimed` or `inDoubt`).
    func recoverInterrupted(_ ids: [String], to state: AttemptState, reason: String, mayHaveArrived: Bool, now: Date) throws(StoreError)
}

extension LedgerClaims {
    public func dueCustomerIDs(now: Date) throws(StoreError) -> [String] { try dueCustomerIDs(now: now, limit: 10_000) }

    public func recoverInterrupted(_ ids: [String], to state: AttemptState, reason: String, now: Date) throws(StoreError) {
        try recoverInterrupted(ids, to: state, reason: reason, mayHaveArrived: false, now: now)
    }
}
