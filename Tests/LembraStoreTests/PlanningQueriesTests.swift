import Foundation
import Testing
import GRDB
import LembraCore
@testable import LembraStore
import TestSupport

/// The planner's reads pad a chunk's `IN` list to a fixed width (`PlanningQueries`): padding
/// must neither add, drop nor reorder customers, nor repeat a padded customer's rows.
@Suite struct PlanningQueriesTests {
    @Test func aChunkIsPaddedToTheNextWidthWithItsLastID() throws {
        for (count, width) in [(1, 8), (8, 8), (9, 16), (33, 64), (300, 512), (512, 512)] {
            let ids = (0..<count).map { "c\($0)" }
            let (queries, arguments) = PlanningQueries.padded(ids)
            #expect(queries.width == width)
            #expect(arguments == StatementArguments(ids + Array(repeating: ids[count - 1], count: width - count)))
        }
    }

    @Test func everyCustomerIsReadOnceInTheOrderAskedAcrossChunks() throws {
        let dir = try TemporaryDirectory("lembra-store")
        let ledger = try SQLiteLedger(path: dir.path("ledger.sqlite").path, create: true)
        let now = LedgerFixture.now
        let count = 1_100 // two full chunks of 512 and one of 76, padded to 128
        _ = try ledger.importCustomers((0..<count).map { Numbered(row: $0 + 2, value: Customer(id: "c\($0)", name: "Cliente \($0)", email: "c\($0)@example.com")) }, now: now)
        _ = try ledger.importDebts((0..<count).map {
            Numbered(row: $0 + 2, value: Debt(id: "d\($0)", customerID: "c\($0)", amount: Money(cents: Int64(100 + $0)), dueDate: CalendarDate(iso: "2026-11-17")!))
        }, now: now)
        // An unknown id is left out; the last chunk is padded with a real customer's id.
        let asked = ["nobody"] + (0..<count).reversed().map { "c\($0)" }
        let cases = try ledger.cases(customerIDs: asked, now: now)
        #expect(cases.map(\.customer.id) == Array(asked.dropFirst()))
        #expect(cases.allSatisfy { $0.debts.map(\.id) == ["d" + $0.customer.id.dropFirst()] })
    }
}
