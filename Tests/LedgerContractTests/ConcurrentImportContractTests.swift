import Dispatch
import Foundation
import LembraCore
import LembraPostgres
import LembraStore
import Synchronization
import Testing

/// Several imports adding the same new debt at the same moment (on PostgreSQL: the inboxes of
/// several daemons, or `lembra import` beside a daemon) end as they do on SQLite, where one runs
/// after the other: every import goes through, one adds the debt and the others update it
/// (moving it, when a row names another customer). None fails, so no daemon stops for it.
struct ConcurrentImportContractTests {
    static let now = ContractFixture.now
    static let processes = 6
    static let due = CalendarDate(iso: "2026-11-20")!

    /// Customers `k0`…`k5`, one per process.
    func customers(_ f: ContractFixture) throws {
        _ = try f.ledger.importCustomers((0..<Self.processes).map { i in
            Numbered(row: i + 2, value: Customer(id: "k\(i)", name: "K", email: "k\(i)@example.com"))
        }, now: Self.now)
    }

    @Test(arguments: Backend.allCases)
    func theSameNewDebtImportedEverywhereAtOnceIsAddedOnceAndUpdatedByTheOthers(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        try customers(f)
        let ledgers = try (0..<Self.processes).map { i in try f.second(owner: "daemon-\(i + 2)") }
        for round in 0..<4 {
            let id = "n\(round)"
            let outcomes = Mutex<[Result<ImportSummary, StoreError>]>([])
            DispatchQueue.concurrentPerform(iterations: Self.processes) { i in
                // Each under its own customer, or all under one (round 3).
                let debt = Debt(id: id, customerID: round == 3 ? "k0" : "k\(i)", amount: Money(cents: 1_000), dueDate: Self.due)
                let result = Result { () throws(StoreError) in try ledgers[i].importDebts([Numbered(row: 2, value: debt)], now: Self.now) }
                outcomes.withLock { $0.append(result) }
            }
            let summaries = try outcomes.withLock { $0 }.map { try $0.get() }
            #expect(summaries.filter { $0.inserted == 1 && $0.updated == 0 }.count == 1, "round \(round): \(summaries)")
            #expect(summaries.filter { $0.inserted == 0 && $0.updated == 1 }.count == Self.processes - 1, "round \(round): \(summaries)")
            let owners = try f.ledger.dueCases(now: ContractFixture.nextYear, limit: 100).filter { $0.debts.contains { $0.id == id } }
            #expect(owners.count == 1, "round \(round): one debt \(id), under one customer")
        }
    }

    /// `c2`, and this import of `n1` under `c1` (`mine`).
    static let bia = Customer(id: "c2", name: "Bia", email: "bia@example.com")
    static let mine = Debt(id: "n1", customerID: "c1", amount: Money(cents: 1_000), dueDate: due)

    /// Imports `mine` on PostgreSQL while another import's insert of `n1` under `c2` is not
    /// committed yet: the import waits for it, then the other import ends with `end` (`COMMIT`
    /// or `ROLLBACK`). Returns the fixture and this import's summary.
    func importMeetingAnotherImport(ending end: String) throws -> (ContractFixture, ImportSummary) {
        let f = try ContractFixture(.postgres)
        _ = try f.ledger.importCustomers([Numbered(row: 2, value: Self.bia)], now: Self.now)
        let order = try LockWaits(url: f.open.location)
        try order.session.query("BEGIN", operation: "another import")
        try order.session.query("""
            INSERT INTO debts (id, customer_id, amount_cents, due_date, next_check_at, created_at, updated_at) VALUES ('n1', 'c2', 500, '2026-11-20', 0, 0, 0)
            """, operation: "another import")
        let ledger = f.ledger
        let importing = Background { () throws(StoreError) in try ledger.importDebts([Numbered(row: 2, value: Self.mine)], now: Self.now) }
        try order.waitFor(1)
        try order.session.query(end, operation: "another import")
        return (f, try importing.result().get())
    }

    /// The other import committed: this one finds the id taken and is run again, which moves
    /// `n1` to `c1`, as SQLite does with the same two imports in turn.
    @Test func anImportThatMeetsAnotherImportsNewDebtUpdatesItAsSQLiteDoes() throws {
        let (f, summary) = try importMeetingAnotherImport(ending: "COMMIT")
        let sqlite = try ContractFixture(.sqlite)
        _ = try sqlite.ledger.importCustomers([Numbered(row: 2, value: Self.bia)], now: Self.now)
        _ = try sqlite.ledger.importDebts([Numbered(row: 2, value: Debt(id: "n1", customerID: "c2", amount: Money(cents: 500), dueDate: Self.due))],
                                          now: Self.now)
        let expected = try sqlite.ledger.importDebts([Numbered(row: 2, value: Self.mine)], now: Self.now)
        #expect(summary.inserted == expected.inserted && summary.updated == expected.updated && summary.updated == 1, "\(summary) vs \(expected)")
        #expect(try f.debt("n1").customerID == "c1" && f.debt("n1").amount.cents == 1_000, "moved to c1 with this file's amount")
        #expect(try sqlite.debt("n1").customerID == "c1")
    }

    /// The other import rolled back: this one adds the debt itself, once.
    @Test func anImportThatWaitedForAnotherImportThatRolledBackAddsTheDebt() throws {
        let (f, summary) = try importMeetingAnotherImport(ending: "ROLLBACK")
        #expect(summary.inserted == 1 && summary.updated == 0)
        #expect(try f.debt("n1").customerID == "c1" && f.debt("n1").amount.cents == 1_000)
    }
}
