import Foundation
import LembraCore
import LembraStore
import Testing

/// A claim and a payment racing on one customer, from two connections (two daemons, or a daemon
/// and an import): whichever commits first, no reminder for the paid debt is left to send.
/// Either the payment came first and the claim is stale, or the claim came first and the
/// payment cancels what it claimed.
struct ClaimRaceContractTests {
    static let now = ContractFixture.now

    @Test(arguments: Backend.allCases) func aPaymentRacingAClaimLeavesNothingToSendForThePaidDebt(_ backend: Backend) throws {
        for round in 0..<8 {
            let f = try ContractFixture(backend)
            let other = try f.second()
            let request = f.request(try f.message(["d1"]))
            let results = RaceResults()
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                do {
                    if i == 0 {
                        let snapshot = try f.ledger.planningSnapshot(customerIDs: ["c1"], now: Self.now)
                        results.set(claim: try f.ledger.claim([request], saving: [], now: Self.now, ifControlsAt: snapshot.controlsVersion))
                    } else {
                        _ = try other.importPayments([Numbered(row: 2, value: Payment(debtID: "d1", amount: Money(cents: 10_000), paidAt: Self.now))],
                                                     now: Self.now)
                    }
                } catch {
                    results.fail("\(error)")
                }
            }
            #expect(results.failures.isEmpty, "round \(round): \(results.failures)")
            #expect(try !f.debt("d1").isOpen)
            let left = try f.ledger.pending(now: Self.now, channel: "email", limit: 10)
            #expect(left.isEmpty, "round \(round): the claim (\(String(describing: results.claim))) left \(left.map(\.attempt.id)) to send")
        }
    }
}

/// What each side of a race answered, written from two threads.
final class RaceResults: @unchecked Sendable {
    private let lock = NSLock()
    private var claimResult: ClaimResult?
    private var errors: [String] = []

    func set(claim: ClaimResult) { lock.withLock { claimResult = claim } }
    func fail(_ error: String) { lock.withLock { errors.append(error) } }
    var claim: ClaimResult? { lock.withLock { claimResult } }
    var failures: [String] { lock.withLock { errors } }
}
