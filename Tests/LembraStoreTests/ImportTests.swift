import Foundation
import LembraCore
import LembraStore
import Testing

struct ImportTests {
    @Test func anUnknownCustomerRejectsTheWholeImport() throws {
        let f = try LedgerFixture()
        let rows = [
            Numbered(row: 2, value: Debt(id: "new1", customerID: "c1", amount: Money(cents: 1), dueDate: CalendarDate(iso: "2026-12-01")!)),
            Numbered(row: 3, value: Debt(id: "new2", customerID: "ghost", amount: Money(cents: 1), dueDate: CalendarDate(iso: "2026-12-01")!)),
        ]
        let error = try #require(throws: StoreError.self) { try f.ledger.importDebts(rows, now: LedgerFixture.now) }
        #expect(error.rowErrors == [CSVError(row: 3, column: "customer_id", "no customer 'ghost'; import customers first")])
        #expect(try f.ledger.history(id: "c1").isEmpty)
        #expect(try f.ledger.status().openDebtsBySegment.values.reduce(0, +) == 2, "new1 was not imported")
    }

    @Test func reimportingUpdatesByIDAndANewDueDateStartsANewLadder() throws {
        let f = try LedgerFixture()
        #expect(try f.claim(f.message(["d1"])).count == 1)
        let moved = Debt(id: "d1", customerID: "c1", amount: Money(cents: 12_000), dueDate: CalendarDate(iso: "2026-12-10")!)
        let summary = try f.ledger.importDebts([Numbered(row: 2, value: moved)], now: LedgerFixture.now)
        #expect(summary.updated == 1 && summary.inserted == 0)
        let c = try #require(try f.ledger.dueCases(now: LedgerFixture.now).first)
        let d1 = try #require(c.debts.first { $0.id == "d1" })
        #expect(d1.dueDate.iso == "2026-12-10" && d1.amount.cents == 12_000)
        #expect(!c.ledger.contains(StepKey(debtID: "d1", dueDate: d1.dueDate, stepID: "forgetful.1d")), "the old key belongs to the old due date")
    }

    @Test func dueDebtsAreFoundThroughTheNextCheckIndex() throws {
        let f = try LedgerFixture()
        let plan = try f.ledger.explainDueQuery()
        #expect(plan.contains("debts_next_check"), "\(plan)")
    }
}
