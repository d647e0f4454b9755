import Foundation
import LembraCore
import LembraStore

extension PostgresLedger: LedgerClaims {
    public func checkUsable() throws(StoreError) { throw Self.notYet("check ledger") }
    public func planAgainIfPolicyChanged(fingerprint: Int32, now: Date) throws(StoreError) -> Bool { throw Self.notYet("plan again") }
    public func dueCustomerIDs(now: Date, limit: Int) throws(StoreError) -> [String] { throw Self.notYet("lease due customers") }
    public func planningSnapshot(customerIDs: [String], now: Date) throws(StoreError) -> PlanningSnapshot { throw Self.notYet("load cases") }
    public func claim(_ requests: [ClaimRequest], saving plans: [CustomerPlan], now: Date, ifControlsAt version: Int64) throws(StoreError) -> ClaimResult {
        throw Self.notYet("claim")
    }
    public func sendableChannels(now: Date) throws(StoreError) -> [String] { throw Self.notYet("load sendable channels") }
    public func pending(now: Date, channel: String, limit: Int) throws(StoreError) -> [PendingAttempt] { throw Self.notYet("load pending attempts") }
    public func settle(waiting: [(id: String, until: Date, reason: HoldReason)], cancelling: [(id: String, reason: CancelReason)],
                       now: Date) throws(StoreError) -> Set<String> { throw Self.notYet("recheck pending attempts") }
    public func record(_ outcomes: [(id: String, outcome: AttemptOutcome)], now: Date) throws(StoreError) { throw Self.notYet("record outcomes") }
    public func record(_ outcomes: [(id: String, outcome: AttemptOutcome)], markingSending ids: [String], now: Date) throws(StoreError) -> Set<String> {
        throw Self.notYet("record outcomes")
    }
    public func record(_ outcomes: [(id: String, outcome: AttemptOutcome)], holding ids: [String], until: Date, reason: String,
                       now: Date) throws(StoreError) -> Set<String> { throw Self.notYet("hold attempts") }
    public func interrupted() throws(StoreError) -> [Attempt] { throw Self.notYet("load interrupted attempts") }
    public func recoverInterrupted(_ ids: [String], to state: AttemptState, reason: String, mayHaveArrived: Bool, now: Date) throws(StoreError) {
        throw Self.notYet("recover interrupted attempts")
    }
}
