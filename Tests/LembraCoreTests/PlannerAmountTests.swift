import Foundation
import LembraCore
import Testing

/// Amounts an older version stored (up to 13 digits, before `Money.maxAmount`) can add up past
/// Int64 cents. The planner neither traps (that stopped every tick, for every customer) nor
/// lets a wrong total out: it holds those messages with `amount_overflow`.
@Suite struct PlannerAmountTests {
    let planner = Planner(policy: TestPolicy.make())
    static let huge = Money(decimal: "9999999999999.99")!.cents
    static let now = instant("2026-11-18T10:00")

    func overdueDebts(_ count: Int) -> [Debt] { (0..<count).map { debt("d\($0)", due: "2026-11-17", cents: Self.huge) } }

    @Test func aMessageWhoseTotalOverflowsIsHeldUntilTheDataChanges() {
        let p = planner.plan(CustomerCase(customer: customer(), debts: overdueDebts(9_224)), now: Self.now)
        #expect(p.messages.isEmpty)
        #expect(p.held.count == 9_224)
        #expect(p.held.allSatisfy { $0.reason == .amountOverflow && $0.until == nil && $0.key.stepID == "chronic.1d" })
        // Not planned again every tick, but still at the debt's own next step day (a later step, or
        // the segment changing), like every other open-ended hold.
        #expect(p.nextCheck.count == 9_224 && p.nextCheck.values.allSatisfy { ($0 ?? nil).map { $0 > Self.now } ?? true })
    }

    @Test func aTotalThatStillFitsGoesOutAsUsual() throws {
        let p = planner.plan(CustomerCase(customer: customer(), debts: overdueDebts(9_223)), now: Self.now)
        let m = try #require(p.messages.first)
        #expect(p.messages.count == 1 && p.held.isEmpty)
        #expect(try m.total() == Money(cents: 9_223 * Self.huge))
    }

    /// The overdue total saturates: every rule a config can write still gets the right answer.
    @Test func theOverdueTotalSaturates() {
        let metrics = CustomerMetrics(debts: overdueDebts(9_224), today: day("2026-11-18"), timeZone: Zone.saoPaulo)
        #expect(metrics.overdueTotal == .max && metrics.openOverdue == 9_224)
        #expect(SegmentCondition(metric: .overdueTotal, op: .greater, value: 100_000).holds(for: metrics))
        #expect(!SegmentCondition(metric: .overdueTotal, op: .less, value: 100_000).holds(for: metrics))
    }
}
