import Foundation
import LembraCore
import LembraPostgres
import LembraStore
import Testing

/// What `lembra restore` records on a ledger put back from a SQLite backup or a PostgreSQL dump,
/// the same on both: the attempts pending in it, and the steps due since it was taken that it
/// does not hold, in doubt (reason `restored`, never sent again blindly); the steps it holds are
/// left as they are.
struct RestoreContractTests {
    static let later = ContractFixture.now.addingTimeInterval(3600)

    @Test(arguments: Backend.allCases) func pendingAttemptsAndNewStepsAreRecordedInDoubtOnce(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let claimed = try f.claimOne(["d1"])
        let sending = try f.claimOne(["d2"])
        try f.markSending(sending)
        let gone = try f.attempt(try f.message(["d1"], step: "forgetful.4d"), .sent)
        // d1 was reminded at 1d and 4d (both in the ledger); its 7d step and d2's 4d step are not.
        let dueSince = [try f.message(["d1"], step: "forgetful.1d"), try f.message(["d1"], step: "forgetful.7d"),
                        try f.message(["d1", "d2"], step: "forgetful.4d")]

        let recorded = try f.ledger.recordRestored(mayHaveGoneOut: dueSince, now: Self.later)
        #expect(recorded.pending == 2 && recorded.steps == 2, "\(recorded)")
        #expect(try f.sendable(at: Self.nextWeek).isEmpty, "nothing pending is sent again")
        let inDoubt = try f.ledger.status().inDoubt
        #expect(inDoubt.count == 4 && inDoubt.allSatisfy { $0.reason == "restored" }, "\(inDoubt.map { ($0.id, $0.reason ?? "") })")
        #expect(Set(inDoubt.map(\.id)).isSuperset(of: [claimed, sending]) && !inDoubt.contains { $0.id == gone })
        #expect(Set(inDoubt.flatMap(\.debtIDs)) == ["d1", "d2"])
        let steps = try f.steps()
        #expect(steps.contains { $0.debtID == "d1" && $0.stepID == "forgetful.7d" } && steps.contains { $0.debtID == "d2" && $0.stepID == "forgetful.4d" })

        let again = try f.ledger.recordRestored(mayHaveGoneOut: dueSince, now: Self.later)
        #expect(again.pending == 0 && again.steps == 0, "recorded once: \(again)")
    }

    static let nextWeek = ContractFixture.now.addingTimeInterval(7 * 86_400)

    /// A thank-you that may have gone out since the copy is recorded in doubt and no longer due:
    /// the payment it thanks for is never thanked twice.
    @Test(arguments: Backend.allCases) func aThankYouThatMayHaveGoneOutIsNoLongerDue(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        try f.importPayment(10_000)
        #expect(try f.ledger.dueCases(now: Self.later).first?.thanksDue == ["d1"])
        let thanks = try f.message(["d1"], step: "thanks", kind: .thanks)
        let recorded = try f.ledger.recordRestored(mayHaveGoneOut: [thanks], now: Self.later)
        #expect(recorded.pending == 0 && recorded.steps == 1, "\(recorded)")
        #expect(try f.ledger.dueCases(now: Self.later).first?.thanksDue.isEmpty == true)
        #expect(try f.ledger.status().inDoubt.map(\.kind) == ["thanks"])
    }

    /// On PostgreSQL the restore holds the attempts against writers while it records: a daemon
    /// that connects after its check for running daemons (here while the planner's part runs)
    /// waits for it, then finds the step taken, and sends nothing twice. The order is PostgreSQL's
    /// own (`LockWaits`), not a sleep.
    @Test func aClaimDuringAPostgresRestoreWaitsForItAndFindsTheStepTaken() throws {
        let f = try ContractFixture(.postgres)
        let restoring = try #require(f.ledger as? PostgresLedger)
        let step = try f.message(["d1"])
        let checked = DispatchSemaphore(value: 0), gate = DispatchSemaphore(value: 0)
        let restore = Background { () throws(StoreError) in
            try restoring.recordRestoreExclusively(mayHaveGoneOut: { c in
                checked.signal()
                gate.wait()
                return c.customer.id == "c1" ? [step] : []
            }, now: Self.later).steps
        }
        checked.wait()
        let daemon = try f.second()  // connects now, after the check
        let waits = try LockWaits(url: f.open.location)
        let version = try daemon.planningSnapshot(customerIDs: ["c1"], now: ContractFixture.now).controlsVersion
        let request = f.request(step)
        let claim = Background { () throws(StoreError) in
            try daemon.claim([request], saving: [], now: ContractFixture.now, ifControlsAt: version)
        }
        try waits.waitFor(1)
        gate.signal()
        #expect(try restore.result().get() == 1)
        #expect(try claim.result().get() == .claimed([]), "the step was recorded in doubt before the claim could take it")
    }
}
