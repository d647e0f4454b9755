import Foundation
import LembraCore
@testable import LembraDaemon
import LembraStore
import Synchronization
import Testing
import TestSupport

/// A pause, opt-out, dispute or payment that commits while the tick holds a chunk's plan (read,
/// not yet claimed) must win: the claim is refused and the chunk planned again from the ledger.
/// Driven deterministically: the test reads the chunk's snapshot as the tick does, applies the
/// control, then hands the tick that older snapshot. On a real ledger and an outbox; customers
/// `c0`, `c1`, `c2`, each owing one debt one day overdue; the control targets `c1` / `d1`.
@Suite struct TickStalePlanTests {
    static let now = TickTests.now

    enum Control: String, CaseIterable { case pause, optOut = "opt-out", dispute, pay }

    /// The log lines a tick writes, to see the re-plan.
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        func append(_ line: String) { lines.withLock { $0.append(line) } }
    }

    func apply(_ control: Control, _ ledger: SQLiteLedger) throws {
        switch control {
        case .pause: try ledger.pause(customerID: "c1", through: nil, reason: "travelling", now: Self.now)
        case .optOut: try ledger.optOut(customerID: "c1", reason: "asked by phone", now: Self.now)
        case .dispute: try ledger.dispute(debtID: "d1", reason: "says it was paid", now: Self.now)
        case .pay: try ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now)
        }
    }

    @Test(arguments: Control.allCases)
    func aChunkPlannedBeforeAControlIsPlannedAgain(control: Control) throws {
        let f = try ConfigFixture()
        let (config, ledger) = try TickTests.setUp(f, count: 3)
        let lines = Lines()
        let tick = Tick(config: config, ledger: ledger, log: Logfmt(journal: false, write: { lines.append($0) }))
        let snapshot = try ledger.planningSnapshot(customerIDs: ledger.dueCustomerIDs(now: Self.now), now: Self.now)
        #expect(snapshot.cases.count == 3)
        try apply(control, ledger)

        var summary = TickSummary()
        let claimed = try tick.claim(snapshot, planner: Planner(policy: config.policy), composer: MessageComposer(config: config),
                                     now: Self.now, summary: &summary)
        #expect(lines.all.contains { $0.contains("event=replanned") && $0.contains("reason=controls_changed") })
        #expect(claimed.filter { $0.attempt.kind == "reminder" }.map(\.attempt.customerID).sorted() == ["c0", "c2"])
        let toC1 = claimed.filter { $0.attempt.customerID == "c1" }.map(\.attempt.kind)
        #expect(toC1 == (control == .pay ? [PlannedMessage.Kind.thanks.rawValue] : []), "after a payment, only the thank-you")
        #expect(summary.customersPlanned == 3 && summary.claimed == claimed.count, "the stale plan is not counted: \(summary)")

        // The tick sends what was claimed, once; nothing else is due.
        let run = try tick.run(now: Self.now)
        #expect(run.sent == claimed.count, "\(run)")
        #expect(TickTests.sentFiles(f).count == claimed.count)
        for id in ["c0", "c2"] {
            #expect(try ledger.history(id: id).filter { $0.kind == "attempt" }.count == 1, "\(id) is claimed once")
        }
        let c1 = try ledger.history(id: "c1").filter { $0.kind == "attempt" }.map(\.summary)
        #expect(c1.allSatisfy { $0.contains("step=on_paid") }, "no reminder to c1: \(c1)")
        #expect(try tick.run(now: Self.now.addingTimeInterval(60)).sent == 0)
    }

    /// Without a control in between, the chunk is claimed as planned, in one go.
    @Test func aCurrentSnapshotIsClaimedWithoutReplanning() throws {
        let f = try ConfigFixture()
        let (config, ledger) = try TickTests.setUp(f, count: 3)
        let lines = Lines()
        let tick = Tick(config: config, ledger: ledger, log: Logfmt(journal: false, write: { lines.append($0) }))
        let summary = try tick.run(now: Self.now)
        #expect(summary.claimed == 3 && summary.sent == 3)
        #expect(!lines.all.contains { $0.contains("event=replanned") })
    }
}
