import Foundation
import LembraCore
@testable import LembraStore
import TestSupport

/// A ledger in a fresh temp dir with a customer and debts, and a planned message builder.
struct LedgerFixture {
    let dir: TemporaryDirectory
    let ledger: SQLiteLedger
    static let now = Timestamp.parse("2026-11-18T10:00:00-03:00", timeZone: TimeZone(identifier: "UTC")!)!
    var path: String { ledger.path }

    init() throws {
        dir = try TemporaryDirectory("lembra-store")
        ledger = try SQLiteLedger(path: dir.path("ledger.sqlite").path, create: true)
        _ = try ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c1", name: "Ana", email: "ana@example.com"))], now: Self.now)
        _ = try ledger.importDebts([
            Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: 10_000), dueDate: CalendarDate(iso: "2026-11-17")!)),
            Numbered(row: 3, value: Debt(id: "d2", customerID: "c1", amount: Money(cents: 5_000), dueDate: CalendarDate(iso: "2026-11-16")!)),
        ], now: Self.now)
    }

    /// A reminder for `debtIDs` at `step`.
    func message(_ debtIDs: [String], step: String = "forgetful.1d", kind: PlannedMessage.Kind = .reminder) throws -> PlannedMessage {
        let debts = try ledger.dueCases(now: Self.now.addingTimeInterval(86_400 * 365)).flatMap(\.debts)
        let items = debtIDs.map { id in PlannedMessage.Item(debt: debts.first { $0.id == id }!, stepID: step, day: 1) }
        return PlannedMessage(kind: kind, customerID: "c1", segment: "forgetful", channel: "email", template: "friendly",
                              handoff: false, items: items, superseded: [])
    }

    func claim(_ m: PlannedMessage, on ledger: SQLiteLedger? = nil) throws -> [String] {
        try (ledger ?? self.ledger).claim([ClaimRequest(attemptID: ClaimRequest.newAttemptID(now: Self.now), message: m, payload: Data("x".utf8))], now: Self.now)
    }
}
