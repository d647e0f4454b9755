import Foundation
import LembraStore

/// The committer a channel's lanes share (group commit): a lane that wants to commit while
/// another commit is in flight queues its request, and when that commit ends the next leader
/// (the first queued lane to wake) takes every queued request and commits them together
/// (`LedgerClaims.record(group:now:)`). On SQLite, whose single writer made the lanes queue for
/// each other anyway, the group takes one turn of the writer instead of one per lane. On a ledger that
/// commits each request on its own (`LedgerClaims.sharesCommits`, PostgreSQL), each lane
/// commits at once, in parallel with its siblings, as if there were no group.
///
/// Nothing is gathered by waiting: a lane alone, or first, commits at once, as before; only
/// requests that would have waited for the writer anyway share a commit. Each lane still gets
/// back only its own result (the ids of its batch that were marked or held), and only once the
/// commit that carried its request has ended: it never starts a transfer before its own mark is
/// durable, and the progress file's order (`prepared` before the lane asks, `started` after it
/// gets its marks) is kept lane by lane. A failed commit is the result of every request in it;
/// each lane goes on as it did alone (`BatchSource`), its outcomes still in hand: a busy ledger
/// is tried again, any other failure ends the tick (as it would have for the lane alone).
///
/// The group's sync comes after its commit, out of the writer's turn (`LedgerClaims.syncCommitted`,
/// SQLite's `WALSync`): once a group has committed, the next one may begin while each lane of the
/// first waits for its sync, shared with the lanes whose commits ended meanwhile. A lane gets
/// its result only once its commit is on disk; a failed sync is its result.
///
/// Per channel, not per tick: a channel's lanes commit at the same rhythm (same batch size,
/// same server), which is where commits pile up; and a channel's failure (its lanes' busy
/// tries, logged with the channel) stays its own. Channels of a tick still queue for SQLite's
/// writer one commit at a time, as before.
final class GroupCommit: @unchecked Sendable {
    /// Commits a group; one result per request, in order (`LedgerClaims.record(group:now:)`).
    private let commitGroup: @Sendable ([LaneCommit]) -> [Result<Set<String>, StoreError>]
    /// Returns once every commit so far is on disk (`LedgerClaims.syncCommitted`).
    private let sync: @Sendable () throws(StoreError) -> Void
    /// Whether requests queue to share commits (`LedgerClaims.sharesCommits`).
    private let grouping: Bool

    // `@unchecked Sendable`: the fields below are read and written under `condition` only.
    private let condition = NSCondition()
    /// Requests waiting for the next commit, each with its ticket.
    private var queued: [(ticket: Int, request: LaneCommit)] = []
    /// Results of committed requests not yet collected by their lanes, by ticket.
    private var results: [Int: Result<Set<String>, StoreError>] = [:]
    private var nextTicket = 0
    private var inFlight = false

    /// Groups commit through `ledger`, each at the time `clock` reads when it begins.
    convenience init(ledger: any LedgerClaims, clock: @escaping @Sendable () -> Date) {
        self.init(grouping: ledger.sharesCommits, sync: { () throws(StoreError) in try ledger.syncCommitted() }) { group in
            ledger.record(group: group, now: clock())
        }
    }

    /// Groups commit through `commitGroup` and sync through `sync` (tests put faults in between).
    init(grouping: Bool = true, sync: @escaping @Sendable () throws(StoreError) -> Void,
         commitGroup: @escaping @Sendable ([LaneCommit]) -> [Result<Set<String>, StoreError>]) {
        self.grouping = grouping
        self.sync = sync
        self.commitGroup = commitGroup
    }

    /// Whether a commit is in flight, and how many requests wait for the next one (tests read
    /// them to know a group is formed, instead of sleeping).
    var state: (committing: Bool, waiting: Int) { condition.withLock { (inFlight, queued.count) } }

    /// Commits `request`, alone or with the requests queued with it; returns its own result once
    /// the commit that carried it has ended and is on disk.
    func commit(_ request: LaneCommit) -> Result<Set<String>, StoreError> {
        if request.isEmpty { return .success([]) } // nothing to write: no reason to wait for anyone
        let committed = grouping ? committedInGroup(request) : run([request])[0]
        return committed.flatMap { ids in Result { () throws(StoreError) in try sync(); return ids } }
    }

    /// `request`'s result from the group commit that carried it, which this caller led or waited for.
    private func committedInGroup(_ request: LaneCommit) -> Result<Set<String>, StoreError> {
        condition.lock()
        defer { condition.unlock() }
        let ticket = nextTicket
        nextTicket += 1
        queued.append((ticket, request))
        while inFlight, results[ticket] == nil { condition.wait() }
        if let done = results.removeValue(forKey: ticket) { return done }
        // No commit in flight and this request not yet carried: lead the next one with all queued.
        let group = queued
        queued = []
        inFlight = true
        condition.unlock()
        let answers = run(group.map(\.request))
        condition.lock()
        for (member, answer) in zip(group, answers) { results[member.ticket] = answer }
        inFlight = false
        condition.broadcast()
        guard let mine = results.removeValue(forKey: ticket) else { preconditionFailure("a leader's request is in its own group") }
        return mine
    }

    /// Commits `group`; a backend that answers the wrong number of results fails every request
    /// rather than leave a lane without one.
    private func run(_ group: [LaneCommit]) -> [Result<Set<String>, StoreError>] {
        let answers = commitGroup(group)
        guard answers.count == group.count else {
            let error = StoreError(.unavailable, "group commit", "\(answers.count) results for \(group.count) requests")
            return group.map { _ in .failure(error) }
        }
        return answers
    }
}
