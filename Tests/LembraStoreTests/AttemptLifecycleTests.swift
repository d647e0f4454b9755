import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import Testing

/// The attempt lifecycle (`AttemptTransition`): the table's guarantees, and every ledger update
/// that changes an attempt's state applying exactly when the table allows it, from each state.
struct AttemptLifecycleTests {
    let now = LedgerFixture.now

    @Test func sentSkippedAndCancelledAreFinal() {
        for state in [AttemptState.sent, .skipped, .cancelled] {
            #expect(AttemptTransition.allCases.filter { $0.from.contains(state) }.isEmpty, "\(state) must be final")
        }
    }

    /// Never twice: only the last write before the network enters `sending`, and only a send
    /// that was interrupted goes back to `claimed` (the progress file says whether anything left).
    @Test func onlyMarkSendingEntersSendingAndOnlyRecoveryReturnsToClaimed() {
        #expect(AttemptTransition.allCases.filter { $0.to.contains(.sending) } == [.markSending])
        #expect(AttemptTransition.allCases.filter { $0.to.contains(.claimed) } == [.claim, .recoverInterrupted])
        #expect(AttemptTransition.allCases.filter { $0.from.contains(.sending) }.sorted { $0.rawValue < $1.rawValue }
                == [.recordOutcome, .recoverInterrupted, .restore])
    }

    /// Never silently missed: every state is reachable, and every state that is not final has a
    /// way on (in_doubt waits for the operator: it is reported, never resent).
    @Test func everyStateIsReachableAndOnlyFinalOrReportedStatesAreStuck() {
        let reached = AttemptTransition.allCases.reduce(into: Set<AttemptState>()) { $0.formUnion($1.to) }
        #expect(reached == Set(AttemptState.allCases))
        let left = AttemptTransition.allCases.reduce(into: Set<AttemptState>()) { $0.formUnion($1.from) }
        #expect(Set(AttemptState.allCases).subtracting(left) == [.sent, .skipped, .cancelled, .inDoubt])
    }

    @Test func guardClauses() {
        #expect(AttemptTransition.markSending.guardClause == "(state IN ('claimed') OR (state = 'retry' AND next_try_at <= ?))")
        #expect(AttemptTransition.cancel.guardClause == "(state IN ('claimed', 'retry'))")
        #expect(AttemptTransition.restore.guardClause == "(state IN ('claimed', 'retry', 'sending'))")
    }

    /// Each guarded update, run on an attempt in each state: it applies (writes `updated_at`)
    /// exactly when the state is one the transition leaves from, and the state it leaves is one
    /// the transition reaches. A retry counts as due here; `notYetDueRetriesStayPut` covers the rest.
    @Test(arguments: AttemptTransition.allCases.filter { $0 != .claim })
    func appliesExactlyFromItsStates(_ transition: AttemptTransition) throws {
        for state in AttemptState.allCases {
            let f = try LedgerFixture()
            let id = try seed(f, state: state, nextTry: now.addingTimeInterval(-60))
            try apply(transition, to: id, on: f.ledger)
            let (after, updated) = try read(f, id)
            if transition.from.contains(state) {
                #expect(updated == now.timeIntervalSince1970, "\(transition) from \(state) must apply")
                #expect(transition.to.contains(after), "\(transition) from \(state) went to \(after)")
            } else {
                #expect(updated == 0 && after == state, "\(transition) must leave a \(state) attempt alone")
            }
        }
    }

    @Test(arguments: [AttemptTransition.markSending, .holdForChannel])
    func notYetDueRetriesStayPut(_ transition: AttemptTransition) throws {
        let f = try LedgerFixture()
        let id = try seed(f, state: .retry, nextTry: now.addingTimeInterval(60))
        try apply(transition, to: id, on: f.ledger)
        #expect(try read(f, id) == (.retry, 0))
    }

    /// A claimed attempt moved to `state` by hand, as if it had got there, untouched since.
    private func seed(_ f: LedgerFixture, state: AttemptState, nextTry: Date) throws -> String {
        let id = try #require(try f.claim(f.message(["d1"])).first)
        try f.ledger.pool.write { db in
            try db.execute(sql: "UPDATE attempts SET state = ?, next_try_at = ?, updated_at = 0 WHERE id = ?",
                           arguments: [state.rawValue, nextTry.timeIntervalSince1970, id])
        }
        return id
    }

    private func read(_ f: LedgerFixture, _ id: String) throws -> (AttemptState, Double) {
        try f.ledger.pool.read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT state, updated_at FROM attempts WHERE id = ?", arguments: [id]))
            return (try #require(AttemptState(rawValue: row[0])), row[1])
        }
    }

    /// The ledger's public operation that makes `transition`.
    private func apply(_ transition: AttemptTransition, to id: String, on ledger: SQLiteLedger) throws {
        switch transition {
        case .claim: Issue.record("a claim writes a new attempt")
        case .markSending: _ = try ledger.record([], markingSending: [id], now: now)
        case .recordOutcome: try ledger.record([(id, .sent)], now: now)
        case .holdForChannel: _ = try ledger.record([], holding: [id], until: now.addingTimeInterval(300), reason: "channel_down: x", now: now)
        case .waitForWindow: try ledger.settle(waiting: [(id, now.addingTimeInterval(3600), .outsideWindow)], cancelling: [], now: now)
        case .cancel: try ledger.settle(waiting: [], cancelling: [(id, .paused)], now: now)
        case .recoverInterrupted: try ledger.recoverInterrupted([id], to: .inDoubt, reason: "interrupted_mid_send", now: now)
        case .requeue: _ = try ledger.requeue(RequeueFilter(), by: "test", dryRun: false, now: now)
        case .restore: _ = try ledger.recordRestored(mayHaveGoneOut: [], now: now)
        }
    }
}
