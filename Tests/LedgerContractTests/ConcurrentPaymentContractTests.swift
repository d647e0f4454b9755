import Dispatch
import Foundation
import LembraCore
import LembraStore
import Synchronization
import Testing

/// The same payment reaching the ledger from several processes at once (on PostgreSQL: the
/// ingresses of several daemons, or `lembra pay` while a confirmation comes in) counts once:
/// one records it, the others find it recorded.
struct ConcurrentPaymentContractTests {
    static let now = ContractFixture.now
    static let processes = 6

    /// Runs `body` once per process, all at once, each on its own ledger of the same database.
    func together<T: Sendable>(_ f: ContractFixture, _ body: @Sendable @escaping (any LedgerBackend) -> T) throws -> [T] {
        let ledgers = try (0..<Self.processes).map { i in try f.second(owner: "daemon-\(i + 2)") }
        let results = Mutex<[T]>([])
        DispatchQueue.concurrentPerform(iterations: Self.processes) { i in
            let result = body(ledgers[i])
            results.withLock { $0.append(result) }
        }
        return results.withLock { $0 }
    }

    @Test(arguments: Backend.allCases)
    func oneConfirmationReceivedEverywhereAtOnceIsOnePayment(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let payment = IncomingPayment(target: .debt("d1"), amount: Money(cents: 10_000), paidAt: Self.now, reference: "E2E-1")
        let outcomes = try together(f) { ledger in Result { () throws(StoreError) in try ledger.receive(payment, source: "pix", now: Self.now) } }
        let answers = try outcomes.map { try $0.get() }
        #expect(answers.filter { $0 == .recorded(debtID: "d1", settled: true) }.count == 1, "\(answers)")
        #expect(answers.filter { $0 == .duplicate(debtID: "d1") }.count == Self.processes - 1)
        #expect(try f.ledger.history(id: "d1").filter { $0.kind == "payment" }.count == 1)
        #expect(try f.planned()?.thanksDue == ["d1"])
    }

    /// `lembra pay` of the whole balance from several places at once: paid once, the others
    /// told it is already paid, never money taken twice.
    @Test(arguments: Backend.allCases)
    func theWholeBalancePaidEverywhereAtOnceIsPaidOnce(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let outcomes = try together(f) { ledger in Result { () throws(StoreError) in try ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now) } }
        #expect(outcomes.filter { (try? $0.get()) == true }.count == 1)
        let refusals = outcomes.compactMap { if case .failure(let e) = $0 { e } else { nil } }
        #expect(refusals.count == Self.processes - 1 && refusals.allSatisfy { $0.kind == .invalid }, "\(refusals)")
        #expect(try f.ledger.history(id: "d1").filter { $0.kind == "payment" }.map(\.summary) == ["amount_cents=10000 source=pay"])
    }
}
