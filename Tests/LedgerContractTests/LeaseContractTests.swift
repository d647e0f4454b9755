import Foundation
import LembraCore
import LembraPostgres
import LembraStore
import Synchronization
import Testing

/// Several daemons on one PostgreSQL ledger (two `PostgresLedger`s with different owners on one
/// database): due customers are leased to one at a time, a claim made stale by another daemon's
/// change is refused, and recovery takes over only the sends of a daemon whose lease ran out.
struct LeaseContractTests {
    static let now = ContractFixture.now
    static let lease = 300.0

    /// The fixture on PostgreSQL, with daemon-1 (the fixture's ledger) and daemon-2.
    func daemons() throws -> (ContractFixture, PostgresLedger, PostgresLedger) {
        let f = try ContractFixture(.postgres)
        let one = try #require(f.ledger as? PostgresLedger)
        let two = try #require(try f.second(owner: "daemon-2") as? PostgresLedger)
        #expect(one.settings.owner != two.settings.owner && one.settings.leaseSeconds == Self.lease)
        return (f, one, two)
    }

    /// Ten more customers with a debt due each.
    func addDueCustomers(_ f: ContractFixture) throws -> [String] {
        let ids = (0..<10).map { "k\($0)" }
        _ = try f.ledger.importCustomers(ids.enumerated().map { Numbered(row: $0.offset + 2, value: Customer(id: $0.element, name: "K", email: "k@example.com")) },
                                         now: Self.now)
        _ = try f.ledger.importDebts(ids.enumerated().map {
            Numbered(row: $0.offset + 2, value: Debt(id: "debt-\($0.element)", customerID: $0.element, amount: Money(cents: 100),
                                                     dueDate: CalendarDate(iso: "2026-11-10")!))
        }, now: Self.now)
        return ids
    }

    @Test func twoDaemonsNeverLeaseTheSameCustomer() throws {
        let (f, one, two) = try daemons()
        let all = Set(try addDueCustomers(f) + ["c1"])
        let first = try one.dueCustomerIDs(now: Self.now, limit: 4)
        let second = try two.dueCustomerIDs(now: Self.now, limit: 100)
        #expect(first.count == 4 && Set(first).isDisjoint(with: second))
        #expect(Set(first + second) == all, "every due customer went to one of them")
        #expect(try one.dueCustomerIDs(now: Self.now, limit: 100).isEmpty && two.dueCustomerIDs(now: Self.now, limit: 100).isEmpty)
        #expect(Set(try two.dueCustomerIDs(now: Self.now.addingTimeInterval(Self.lease), limit: 100)) == all,
                "once the leases run out, a daemon killed mid-tick loses its customers to the others")
        #expect(try one.dueCases(now: Self.now).count == all.count, "preview reads the due customers without leasing them")
    }

    /// Leasing at the same moment from many threads of two daemons hands each customer out once.
    @Test func concurrentLeasesHandEachCustomerOutOnce() throws {
        let (f, one, two) = try daemons()
        let all = Set(try addDueCustomers(f) + ["c1"])
        let leased = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let ids = (try? (i.isMultiple(of: 2) ? one : two).dueCustomerIDs(now: Self.now, limit: 2)) ?? ["failed"]
            leased.withLock { $0 += ids }
        }
        let got = leased.withLock { $0 }
        #expect(got.count == Set(got).count, "no customer leased twice: \(got.sorted())")
        #expect(Set(got) == all, "8 × 2 leases cover the 11 due customers")
    }

    /// The claim's commit gives the chunk's customers back: one still due (a step held until
    /// later today) is another daemon's to plan at its next tick, not locked away for a lease.
    @Test func aClaimReleasesItsCustomersLeases() throws {
        let (f, one, two) = try daemons()
        #expect(try one.dueCustomerIDs(now: Self.now, limit: 10) == ["c1"])
        #expect(try two.dueCustomerIDs(now: Self.now, limit: 10).isEmpty)
        var plan = CustomerPlan(customerID: "c1", segment: "forgetful")
        plan.nextCheck = ["d1": Self.now, "d2": Self.now]
        _ = try f.claim([f.request(f.message(["d1"]))], saving: [plan])
        #expect(try two.dueCustomerIDs(now: Self.now, limit: 10) == ["c1"])
    }

    /// A change another daemon commits for a customer of the chunk makes the claim stale; a
    /// change for a customer outside it does not (the version is per customer).
    @Test func aClaimIsStaleOnlyForAChangeToItsOwnCustomers() throws {
        let (f, one, two) = try daemons()
        _ = try addDueCustomers(f)
        let request = f.request(try f.message(["d1"]))
        let snapshot = try one.planningSnapshot(customerIDs: ["c1"], now: Self.now)
        _ = try two.importPayments([Numbered(row: 2, value: Payment(debtID: "debt-k1", amount: Money(cents: 100), paidAt: Self.now))], now: Self.now)
        _ = try two.settle(waiting: [], cancelling: [("att_none", .paused)], now: Self.now)
        let unrelated = try one.claim([request], saving: [], now: Self.now, ifControlsAt: snapshot.controlsVersion)
        #expect(unrelated == .claimed([request.attemptID]), "k1's payment says nothing about c1's plans")

        let next = f.request(try f.message(["d2"]))
        let again = try one.planningSnapshot(customerIDs: ["c1"], now: Self.now)
        _ = try two.importPayments([Numbered(row: 2, value: Payment(debtID: "d2", amount: Money(cents: 100), paidAt: Self.now))], now: Self.now)
        #expect(try one.claim([next], saving: [], now: Self.now, ifControlsAt: again.controlsVersion) == .stale)
    }

    /// A daemon's sends are its own while it keeps committing: another daemon's recovery finds
    /// them only once their lease ran out, and cannot move them before.
    @Test func recoveryTakesOnlyADeadDaemonsSends() throws {
        let (f, one, two) = try daemons()
        let id = try f.claimOne(["d1"])
        #expect(try one.record([], markingSending: [id], now: Self.now) == [id])
        let soon = Self.now.addingTimeInterval(10)
        #expect(try one.interrupted(now: soon).map(\.id) == [id], "its own, after a restart of the tick")
        #expect(try two.interrupted(now: soon).isEmpty, "another live daemon's send")
        try two.recoverInterrupted([id], to: .claimed, reason: "interrupted_before_send", now: soon)
        #expect(try one.interrupted(now: soon).map(\.id) == [id], "recovery by another daemon leaves a live send alone")

        // A commit of its lanes (the next batch) renews the lease of what it still has on the wire.
        let other = try f.claimOne(["d2"])
        #expect(try one.record([], markingSending: [other], now: Self.now.addingTimeInterval(200)) == [other])
        #expect(try two.interrupted(now: Self.now.addingTimeInterval(Self.lease + 1)).isEmpty, "renewed by the heartbeat")

        let gone = Self.now.addingTimeInterval(200 + Self.lease)
        #expect(Set(try two.interrupted(now: gone).map(\.id)) == [id, other], "its owner stopped committing: the lease ran out")
        #expect(try two.markedByAnotherDaemon([id, other]) == [id, other], "daemon-2's progress file can't speak for them")
        #expect(try one.markedByAnotherDaemon([id, other]).isEmpty, "daemon-1's own file can")
        try two.recoverInterrupted([id, other], to: .inDoubt, reason: "interrupted_mid_send", now: gone)
        #expect(try one.interrupted(now: gone).isEmpty)
    }

    /// A daemon that stalled past its lease while a send was on the wire comes back to find it
    /// taken over: its late outcome does not overwrite the other daemon's send in progress.
    @Test func aLateOutcomeDoesNotOverwriteASendTakenOver() throws {
        let (f, one, two) = try daemons()
        let id = try f.claimOne(["d1"])
        #expect(try one.record([], markingSending: [id], now: Self.now) == [id])
        let gone = Self.now.addingTimeInterval(Self.lease + 1)
        #expect(try two.interrupted(now: gone).map(\.id) == [id])
        try two.recoverInterrupted([id], to: .claimed, reason: "interrupted_resend", mayHaveArrived: true, now: gone)
        #expect(try two.record([], markingSending: [id], now: gone) == [id])
        try one.record([(id, .dead(reason: "550"))], now: gone.addingTimeInterval(1))
        #expect(try two.interrupted(now: gone.addingTimeInterval(1)).map(\.id) == [id], "still daemon-2's send")
        try two.record([(id, .sent)], now: gone.addingTimeInterval(2))
        #expect(try two.interrupted(now: gone.addingTimeInterval(2)).isEmpty && f.sendable(at: gone).isEmpty)
    }
}

/// A daemon that planned for longer than its lease: another daemon may lease the same customers
/// meanwhile. Whatever the timing, a customer is claimed only on a plan that saw every claim made
/// for it before (the caps hold): a claim is stale once another daemon leased one of its
/// customers, and the chunk read again leaves that customer to the other daemon. Leases of a
/// minute (the shortest the config allows), at fixed clocks.
struct ShortLeaseContractTests {
    static let now = ContractFixture.now
    static let lease = 60.0
    /// Past the first daemon's lease.
    static let later = now.addingTimeInterval(lease + 1)

    /// A daemon on the fixture's database with a one-minute lease.
    func daemon(_ f: ContractFixture, _ owner: String) throws -> PostgresLedger {
        try PostgresLedger(PostgresLedgerSettings(url: f.open.location, poolSize: 2, leaseSeconds: Self.lease, owner: owner))
    }

    /// `k1` with a debt due, beside `c1`.
    func addK1(_ f: ContractFixture) throws {
        _ = try f.ledger.importCustomers([Numbered(row: 2, value: Customer(id: "k1", name: "K", email: "k@example.com"))], now: Self.now)
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "debt-k1", customerID: "k1", amount: Money(cents: 100),
                                                                   dueDate: CalendarDate(iso: "2026-11-10")!))], now: Self.now)
    }

    /// A plan for `customer` that looks at it again tomorrow.
    func plan(_ customer: String, _ debts: [String]) -> CustomerPlan {
        var plan = CustomerPlan(customerID: customer, segment: "forgetful")
        plan.nextCheck = Dictionary(uniqueKeysWithValues: debts.map { ($0, Self.now.addingTimeInterval(86_400)) })
        return plan
    }

    @Test func aClaimIsStaleOnceAnotherDaemonLeasedAndClaimedACustomerOfIt() throws {
        let f = try ContractFixture(.postgres)
        try addK1(f)
        let slow = try daemon(f, "slow"), quick = try daemon(f, "quick")
        #expect(try slow.dueCustomerIDs(now: Self.now, limit: 10) == ["c1", "k1"])
        let planned = try slow.planningSnapshot(customerIDs: ["c1", "k1"], now: Self.now)
        #expect(planned.cases.map(\.customer.id) == ["c1", "k1"])

        // slow's lease ran out while it planned: quick's tick leases c1 and claims a step of it.
        #expect(try quick.dueCustomerIDs(now: Self.later, limit: 1) == ["c1"])
        let theirs = f.request(try f.message(["d1", "d2"], step: "forgetful.4d"))
        let current = try quick.planningSnapshot(customerIDs: ["c1"], now: Self.later).controlsVersion
        #expect(try quick.claim([theirs], saving: [plan("c1", ["d1", "d2"])], now: Self.later, ifControlsAt: current) == .claimed([theirs.attemptID]))

        let mine = f.request(try f.message(["d1", "d2"], step: "forgetful.1d"))
        #expect(try slow.claim([mine], saving: [plan("c1", ["d1", "d2"]), plan("k1", ["debt-k1"])], now: Self.now,
                               ifControlsAt: planned.controlsVersion) == .leasedElsewhere,
                "its plan of c1 never saw quick's claim: a second message, past the caps")
        let again = try slow.planningSnapshot(customerIDs: planned.customerIDs, now: Self.now)
        #expect(again.cases.map(\.customer.id) == ["k1"], "c1 is quick's now: left out when the chunk is read again")
        #expect(try slow.claim([], saving: [plan("k1", ["debt-k1"])], now: Self.now, ifControlsAt: again.controlsVersion) == .claimed([]),
                "the rest of the chunk is claimed")
        #expect(try f.steps().map(\.stepID) == ["forgetful.4d", "forgetful.4d"], "c1's step from quick's plan only")
    }

    @Test func aClaimIsStaleWhileAnotherDaemonPlansACustomerOfItAndTheOtherClaims() throws {
        let f = try ContractFixture(.postgres)
        let slow = try daemon(f, "slow"), quick = try daemon(f, "quick")
        #expect(try slow.dueCustomerIDs(now: Self.now, limit: 10) == ["c1"])
        let planned = try slow.planningSnapshot(customerIDs: ["c1"], now: Self.now)
        #expect(try quick.dueCustomerIDs(now: Self.later, limit: 10) == ["c1"])
        let current = try quick.planningSnapshot(customerIDs: ["c1"], now: Self.later).controlsVersion

        let mine = f.request(try f.message(["d1"], step: "forgetful.1d"))
        #expect(try slow.claim([mine], saving: [], now: Self.now, ifControlsAt: planned.controlsVersion) == .leasedElsewhere, "quick is planning c1")
        let theirs = f.request(try f.message(["d1"], step: "forgetful.4d"))
        #expect(try quick.claim([theirs], saving: [], now: Self.later, ifControlsAt: current) == .claimed([theirs.attemptID]))
        #expect(try f.steps().map(\.stepID) == ["forgetful.4d"])
    }

    /// A lease that ran out with nobody taking the customer over costs nothing: the claim is made.
    @Test func aLeaseThatRanOutUntakenStillClaims() throws {
        let f = try ContractFixture(.postgres)
        let slow = try daemon(f, "slow")
        #expect(try slow.dueCustomerIDs(now: Self.now, limit: 10) == ["c1"])
        let planned = try slow.planningSnapshot(customerIDs: ["c1"], now: Self.now)
        let mine = f.request(try f.message(["d1"]))
        #expect(try slow.claim([mine], saving: [], now: Self.later, ifControlsAt: planned.controlsVersion) == .claimed([mine.attemptID]))
    }

    /// Six daemons, each leasing past the lease of those before it and claiming a step of `c1`
    /// only if its plan shows none yet (a cap of one message), all at once on their own
    /// connections: whatever the interleaving, one message is claimed.
    @Test func daemonsTakingOverEachOthersLeasesClaimOneMessage() throws {
        for round in 0..<4 {
            let f = try ContractFixture(.postgres)
            let daemons = try (0..<6).map { try daemon(f, "d\($0)") }
            let requests = try (0..<6).map { f.request(try f.message(["d1"], step: "step-\($0)")) }
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 6) { i in
                do throws(StoreError) {
                    let at = Self.now.addingTimeInterval(Double(i) * (Self.lease + 1))
                    guard try daemons[i].dueCustomerIDs(now: at, limit: 10) == ["c1"] else { return }
                    while true {
                        let snapshot = try daemons[i].planningSnapshot(customerIDs: ["c1"], now: at)
                        guard let c1 = snapshot.cases.first, c1.ledger.isEmpty else { return }
                        if case .claimed = try daemons[i].claim([requests[i]], saving: [], now: at, ifControlsAt: snapshot.controlsVersion) { return }
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(failures.withLock { $0 }.isEmpty)
            let steps = try f.steps().map(\.stepID)
            #expect(steps.count == 1, "round \(round): \(steps)")
        }
    }
}

/// A daemon's id (`daemon_id`) is held by one live process at a time, and a process started
/// again under it takes back at once what its predecessor leased.
struct DaemonIDContractTests {
    @Test func aDaemonStartedAgainTakesBackItsLeasesAtOnce() throws {
        let f = try ContractFixture(.postgres)
        let killed = try #require(try f.second(owner: "host-a") as? PostgresLedger)
        try killed.holdDaemonID(waitingUpTo: 0)
        #expect(try killed.dueCustomerIDs(now: LeaseContractTests.now, limit: 10) == ["c1"])
        let other = try #require(try f.second(owner: "host-b") as? PostgresLedger)
        #expect(try other.dueCustomerIDs(now: LeaseContractTests.now, limit: 10).isEmpty, "leased to host-a")

        let busy = try #require(try f.second(owner: "host-a") as? PostgresLedger)
        #expect(throws: StoreError.self, "host-a's id is held by a live process") { try busy.holdDaemonID(waitingUpTo: 0.3) }
        #expect(try busy.dueCustomerIDs(now: LeaseContractTests.now, limit: 10).isEmpty, "a refused process takes nothing back")

        killed.releaseDaemonID()  // as its connection closing with the process does
        let restarted = try #require(try f.second(owner: "host-a") as? PostgresLedger)
        try restarted.holdDaemonID(waitingUpTo: 5)
        #expect(try restarted.dueCustomerIDs(now: LeaseContractTests.now, limit: 10) == ["c1"], "its predecessor's lease, taken back before it ran out")
    }
}
