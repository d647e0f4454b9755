import Foundation
import LembraCore
import Testing

@Suite struct SegmentTests {
    @Test(arguments: [
        ("days_overdue <= 5", SegmentCondition(metric: .daysOverdue, op: .lessOrEqual, value: 5)),
        ("late_payments_12m >= 3", SegmentCondition(metric: .latePayments12m, op: .greaterOrEqual, value: 3)),
        ("  open_overdue   ==  2 ", SegmentCondition(metric: .openOverdue, op: .equal, value: 2)),
        ("overdue_total > 100000", SegmentCondition(metric: .overdueTotal, op: .greater, value: 100_000)),
        ("avg_days_late_12m != -1", SegmentCondition(metric: .avgDaysLate12m, op: .notEqual, value: -1)),
        ("days_overdue < 0", SegmentCondition(metric: .daysOverdue, op: .less, value: 0)),
    ])
    func parsesConditions(text: String, expected: SegmentCondition) throws {
        let condition = try SegmentCondition.parse(text).get()
        #expect(condition == expected)
        #expect(try SegmentCondition.parse(condition.description).get() == expected)
    }

    @Test(arguments: [
        ("days_overdue<=5", "expected 'metric operator number', e.g. 'days_overdue <= 5'"),
        ("", "expected 'metric operator number', e.g. 'days_overdue <= 5'"),
        ("days_overdue <= 5 days", "expected 'metric operator number', e.g. 'days_overdue <= 5'"),
        ("dias <= 5", "unknown metric 'dias'; known: days_overdue, late_payments_12m, open_overdue, overdue_total, avg_days_late_12m"),
        ("days_overdue =< 5", "unknown operator '=<'; use one of < <= > >= == !="),
        ("days_overdue = 5", "unknown operator '='; use one of < <= > >= == !="),
        ("days_overdue <= five", "'five' is not a whole number"),
        ("days_overdue <= 2.5", "'2.5' is not a whole number"),
    ])
    func rejectsBadConditionsWithAMessage(text: String, message: String) {
        #expect(SegmentCondition.parse(text) == .failure(SegmentConditionError(message)))
    }

    @Test(arguments: [
        (SegmentCondition.Operator.less, [true, false, false]), (.lessOrEqual, [true, true, false]),
        (.greater, [false, false, true]), (.greaterOrEqual, [false, true, true]),
        (.equal, [false, true, false]), (.notEqual, [true, false, true]),
    ])
    func operators(op: SegmentCondition.Operator, expected: [Bool]) {
        let condition = SegmentCondition(metric: .openOverdue, op: op, value: 2)
        #expect([1, 2, 3].map { condition.holds(for: CustomerMetrics(openOverdue: $0)) } == expected)
    }

    @Test func metricsFromDebts() {
        let today = day("2026-11-20")
        func paid(_ id: String, due: String, on: String, cents: Int64 = 1_000) -> Debt {
            Debt(id: id, customerID: "c", amount: Money(cents: cents), dueDate: day(due), paidAt: instant(on))
        }
        let debts = [
            paid("p1", due: "2026-01-10", on: "2026-01-20T10:00"), // 10 days late
            paid("p2", due: "2026-03-10", on: "2026-03-09T10:00"), // early: 0
            paid("p3", due: "2026-05-10", on: "2026-05-12T23:30"), // 2 days late (local day)
            paid("p4", due: "2025-10-01", on: "2025-11-10T10:00"), // more than 12 months ago: ignored
            Debt(id: "o1", customerID: "c", amount: Money(cents: 5_000), dueDate: day("2026-11-01")),
            Debt(id: "o2", customerID: "c", amount: Money(cents: 2_500), dueDate: day("2026-11-19")),
            Debt(id: "o3", customerID: "c", amount: Money(cents: 9_999), dueDate: today), // due today: not overdue
            Debt(id: "o4", customerID: "c", amount: Money(cents: 9_999), dueDate: day("2026-12-01")),
        ]
        let m = CustomerMetrics(debts: debts, today: today, timeZone: Zone.saoPaulo)
        #expect(m == CustomerMetrics(daysOverdue: 19, latePayments12m: 2, openOverdue: 2, overdueTotal: 7_500, avgDaysLate12m: 4))
        #expect(m.value(of: .overdueTotal) == 7_500)
        #expect(m.value(of: .daysOverdue) == 19)
    }

    @Test func paymentDayIsTakenInTheCustomersZone() {
        // 01:30 UTC on Nov 21 is Nov 20 in São Paulo (on time) but Nov 21 in UTC (one day late).
        let debt = Debt(id: "d", customerID: "c", amount: Money(cents: 100), dueDate: day("2026-11-20"),
                        paidAt: instant("2026-11-21T01:30:00Z"))
        #expect(CustomerMetrics(debts: [debt], today: day("2026-12-01"), timeZone: Zone.saoPaulo).latePayments12m == 0)
        #expect(CustomerMetrics(debts: [debt], today: day("2026-12-01"), timeZone: Zone.utc).latePayments12m == 1)
    }

    @Test func noDebtsNoMetrics() {
        #expect(CustomerMetrics(debts: [], today: day("2026-11-20"), timeZone: Zone.saoPaulo) == CustomerMetrics())
    }

    @Test(arguments: [
        (CustomerMetrics(daysOverdue: 2), "forgetful"),
        (CustomerMetrics(daysOverdue: 5, latePayments12m: 1), "forgetful"),
        (CustomerMetrics(daysOverdue: 6), "short_delay"),
        (CustomerMetrics(daysOverdue: 2, latePayments12m: 2), "short_delay"),
        (CustomerMetrics(daysOverdue: 30), "short_delay"),
        (CustomerMetrics(daysOverdue: 31), "chronic"),
        (CustomerMetrics(daysOverdue: 1, latePayments12m: 3), "chronic"),
        // Two open overdue debts make a customer chronic even though forgetful also matches.
        (CustomerMetrics(daysOverdue: 2, openOverdue: 2), "chronic"),
        (CustomerMetrics(), "forgetful"),
    ])
    func defaultPolicyFirstMatchWins(metrics: CustomerMetrics, segment: String) {
        #expect(SegmentRule.segment(for: metrics, rules: DefaultPolicy.segments) == segment)
    }

    @Test func ruleMatching() {
        let both = SegmentRule(name: "x", any: [SegmentCondition(metric: .openOverdue, op: .greater, value: 0)],
                               all: [SegmentCondition(metric: .daysOverdue, op: .less, value: 10)])
        #expect(both.matches(CustomerMetrics(daysOverdue: 3, openOverdue: 1)))
        #expect(!both.matches(CustomerMetrics(daysOverdue: 3, openOverdue: 0)))
        #expect(!both.matches(CustomerMetrics(daysOverdue: 10, openOverdue: 1)))
        #expect(SegmentRule(name: "all").matches(CustomerMetrics(daysOverdue: 99)))
        #expect(SegmentRule.segment(for: CustomerMetrics(), rules: [both]) == nil)
    }
}
