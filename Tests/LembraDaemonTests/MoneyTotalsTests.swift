import Foundation
import LembraCore
@testable import LembraDaemon
import Testing
import TestSupport

/// Totals over amounts an older version stored (above `Money.maxAmount`) that don't fit in Int64
/// cents: never a trap, never a wrong figure.
struct MoneyTotalsTests {
    static let huge = Money(cents: Int64.max / 2 + 1)

    /// The planner holds such a message; were one to reach the composer anyway, it is claimed as
    /// skipped with the reason, never rendered with a wrong total.
    @Test func aMessageWhoseTotalOverflowsIsSkippedWithTheReason() throws {
        let dir = try TemporaryDirectory("lembra-totals")
        let config = try ComposeOracleTests.config(in: dir)
        let items = (1...2).map { i in
            PlannedMessage.Item(debt: Debt(id: "d\(i)", customerID: "c1", amount: Self.huge, dueDate: CalendarDate(year: 2026, month: 11, day: 17)!),
                                stepID: "forgetful.1d", day: 1)
        }
        let m = PlannedMessage(kind: .reminder, customerID: "c1", segment: "forgetful", channel: "email", template: "friendly", handoff: false,
                               items: items, superseded: [])
        let request = MessageComposer(config: config).compose(m, customer: Customer(id: "c1", name: "Ana", email: "ana@example.com"),
                                                              now: ComposeOracleTests.now)
        #expect(request.skipReason == "amount_overflow" && request.payload.isEmpty)
        #expect(throws: MoneyOverflow(count: 2)) {
            try MessageFacts(m, customer: Customer(id: "c1", name: "Ana"), config: config, locale: .ptBR,
                             today: CalendarDate(year: 2026, month: 11, day: 18)!, now: ComposeOracleTests.now)
        }
    }

    @Test func statusSaysAnOpenTotalIsTooLargeRatherThanShowItWrong() {
        #expect(Reports.openTotal(["USD": 100], tooLarge: [""], locale: .ptBR, currency: "BRL")
                == "BRL too large to add up + \(Money(cents: 100).formatted(currency: "USD", locale: .ptBR))")
        #expect(Reports.openTotal(["": Self.huge.cents, "BRL": Self.huge.cents], locale: .ptBR, currency: "BRL") == "BRL too large to add up",
                "debts without a currency are the business's: added up, checked")
        #expect(Reports.openTotal(["": 1_000, "BRL": 500], locale: .ptBR, currency: "BRL") == "R$ 15,00")
    }
}
