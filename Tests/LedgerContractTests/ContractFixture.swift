import Foundation
import LembraCore
import LembraPostgres
import LembraStore
import Testing

/// A fresh ledger of one backend holding the contract's small world, reached only through the
/// ledger protocols: customer `c1` (an e-mail address) owing `d1` (100.00, due 2026-11-17) and
/// `d2` (50.00, due 2026-11-16), at a fixed clock.
struct ContractFixture {
    let backend: Backend
    let open: OpenLedger
    var ledger: any LedgerBackend { open.ledger }
    static let now = Timestamp.parse("2026-11-18T10:00:00-03:00", timeZone: TimeZone(identifier: "UTC")!)!
    static let nextYear = now.addingTimeInterval(86_400 * 365)

    init(_ backend: Backend) throws {
        self.backend = backend
        open = try backend.open()
        _ = try ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c1", name: "Ana", email: "ana@example.com"))], now: Self.now)
        _ = try ledger.importDebts([
            Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: 10_000), dueDate: CalendarDate(iso: "2026-11-17")!)),
            Numbered(row: 3, value: Debt(id: "d2", customerID: "c1", amount: Money(cents: 5_000), dueDate: CalendarDate(iso: "2026-11-16")!)),
        ], now: Self.now)
    }

    /// Another ledger on the same database (another process; on PostgreSQL another daemon, `owner`).
    func second(owner: String = "daemon-2") throws -> any LedgerBackend {
        switch backend {
        case .sqlite: try SQLiteLedger(path: open.location)
        case .postgres: try PostgresLedger(PostgresLedgerSettings(url: open.location, poolSize: 2, owner: owner))
        }
    }

    /// `c1`'s debts as the planner reads them.
    func debts() throws -> [Debt] { try ledger.dueCases(now: Self.nextYear).flatMap(\.debts) }

    func debt(_ id: String) throws -> Debt { try #require(try debts().first { $0.id == id }) }

    /// The steps in the ledger for `c1`'s debts.
    func steps() throws -> Set<StepKey> { try ledger.dueCases(now: Self.nextYear).first?.ledger ?? [] }

    /// A reminder to `c1` for `debtIDs` at `step`.
    func message(_ debtIDs: [String], step: String = "forgetful.1d", kind: PlannedMessage.Kind = .reminder,
                 channel: String = "email") throws -> PlannedMessage {
        let debts = try debts()
        let items = try debtIDs.map { id in PlannedMessage.Item(debt: try #require(debts.first { $0.id == id }), stepID: step, day: 1) }
        return PlannedMessage(kind: kind, customerID: "c1", segment: "forgetful", channel: channel, template: "friendly",
                              handoff: false, items: items, superseded: [])
    }

    func request(_ m: PlannedMessage, skip: String? = nil) -> ClaimRequest {
        ClaimRequest(attemptID: ClaimRequest.newAttemptID(now: Self.now), message: m, payload: Data("x".utf8), skipReason: skip)
    }

    /// Claims `requests` as the tick does: on a snapshot of `c1` read just before.
    func claim(_ requests: [ClaimRequest], saving plans: [CustomerPlan] = [], on other: (any LedgerBackend)? = nil) throws -> [String] {
        let ledger = other ?? self.ledger
        let snapshot = try ledger.planningSnapshot(customerIDs: ["c1"], now: Self.now)
        guard case .claimed(let ids) = try ledger.claim(requests, saving: plans, now: Self.now, ifControlsAt: snapshot.controlsVersion) else {
            Issue.record("a claim on a fresh snapshot was refused as stale")
            return []
        }
        return ids
    }

    func claim(_ m: PlannedMessage, on other: (any LedgerBackend)? = nil) throws -> [String] { try claim([request(m)], on: other) }

    /// Claims one reminder and returns its id.
    func claimOne(_ debtIDs: [String], step: String = "forgetful.1d", channel: String = "email") throws -> String {
        try #require(try claim(message(debtIDs, step: step, channel: channel)).first)
    }

    /// The ids ready to go on `channel` at `at`, oldest first.
    func sendable(at: Date = Self.now, channel: String = "email", limit: Int = 100) throws -> [String] {
        try ledger.pending(now: at, channel: channel, limit: limit).map(\.attempt.id)
    }

    func pending(_ id: String, at: Date = Self.now) throws -> Attempt? {
        try ledger.pending(now: at, channel: "email", limit: 100).first { $0.attempt.id == id }?.attempt
    }

    /// Marks `id` `sending` and returns whether it was.
    @discardableResult
    func markSending(_ id: String, at: Date = Self.now) throws -> Bool { try ledger.record([], markingSending: [id], now: at) == [id] }

    /// A payment of `cents` for `debt`, imported as a payments file.
    @discardableResult
    func importPayment(_ cents: Int64, debt: String = "d1", reference: String? = nil) throws -> ImportSummary {
        try ledger.importPayments([Numbered(row: 2, value: Payment(debtID: debt, amount: Money(cents: cents), paidAt: Self.now, reference: reference))],
                                  now: Self.now)
    }
}
