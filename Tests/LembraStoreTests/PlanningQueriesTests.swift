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
        let due = CalendarDate(iso: "2026-11-17")!
        let count = 1_100
        _ = try ledger.importCustomers((0..<count).map { Numbered(row: $0 + 2, value: Customer(id: "c\($0)", name: "Cliente \($0)", email: "c\($0)@example.com")) }, now: now)
        _ = try ledger.importDebts((0..<count).map {
            Numbered(row: $0 + 2, value: Debt(id: "d\($0)", customerID: "c\($0)", amount: Money(cents: Int64(100 + $0)), dueDate: due))
        }, now: now)
        // c0, the id the last chunk is padded with, has a claimed step, a recent contact and a
        // promise (first: a promise cancels what is claimed for the debt): the joined reads must
        // not give them to it twice.
        let debt = try #require(try ledger.cases(customerIDs: ["c0"], now: now).first?.debts.first)
        let message = PlannedMessage(kind: .reminder, customerID: "c0", segment: "forgetful", channel: "email", template: "friendly",
                                     handoff: false, items: [PlannedMessage.Item(debt: debt, stepID: "forgetful.1d", day: 1)], superseded: [])
        #expect(try ledger.promise(debtID: "d0", dueDate: due, stepID: "forgetful.3d", through: CalendarDate(iso: "2026-11-25")!, now: now) == .recorded)
        _ = try ledger.claim([ClaimRequest(attemptID: ClaimRequest.newAttemptID(now: now), message: message, payload: Data("x".utf8))], now: now)

        // An unknown id is left out; the chunks are 512, 512 and 77 (padded to 128 with c0).
        let asked = ["nobody"] + (0..<count).reversed().map { "c\($0)" }
        let cases = try ledger.cases(customerIDs: asked, now: now)
        #expect(cases.map(\.customer.id) == Array(asked.dropFirst()))
        #expect(cases.allSatisfy { $0.debts.map(\.id) == ["d" + $0.customer.id.dropFirst()] })
        let c0 = try #require(cases.last)
        #expect(c0.ledger.count == 1)
        #expect(c0.recentContacts.count == 1)
        #expect(c0.promises.count == 1)
        #expect(cases.dropLast().allSatisfy { $0.ledger.isEmpty && $0.recentContacts.isEmpty && $0.promises.isEmpty })
    }
}
