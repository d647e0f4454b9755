import Foundation

/// The numbers segment rules are written over, computed for one customer on one day.
public struct CustomerMetrics: Sendable, Equatable {
    /// Days the oldest open debt is overdue (0 when none is).
    public var daysOverdue: Int
    /// Debts paid after their due date within the last 12 months.
    public var latePayments12m: Int
    /// Open debts past their due date.
    public var openOverdue: Int
    /// Sum of open overdue debts, in cents; `Int64.max` when it is more than that (amounts above
    /// `Money.maxAmount` stored by an older version). Saturating keeps every rule a config can
    /// write right (`overdue_total > N` holds, `< N` does not) without stopping the tick.
    public var overdueTotal: Int64
    /// Mean days late over debts paid in the last 12 months (on time counts as 0).
    public var avgDaysLate12m: Int

    public init(daysOverdue: Int = 0, latePayments12m: Int = 0, openOverdue: Int = 0, overdueTotal: Int64 = 0, avgDaysLate12m: Int = 0) {
        self.daysOverdue = daysOverdue; self.latePayments12m = latePayments12m; self.openOverdue = openOverdue
        self.overdueTotal = overdueTotal; self.avgDaysLate12m = avgDaysLate12m
    }

    /// Computes the metrics from every debt of the customer (open and paid), on `today` in the
    /// customer's zone.
    public init(debts: [Debt], today: CalendarDate, timeZone: TimeZone) {
        self.init()
        var lateDaysSum = 0, paidCount = 0
        for debt in debts {
            if let paidAt = debt.paidAt {
                let paidDay = CalendarDate(paidAt, in: timeZone)
                guard today.days(since: paidDay) <= 365 else { continue }
                let late = max(0, paidDay.days(since: debt.dueDate))
                paidCount += 1
                lateDaysSum += late
                if late > 0 { latePayments12m += 1 }
            } else if today > debt.dueDate {
                openOverdue += 1
                let (sum, overflow) = overdueTotal.addingReportingOverflow(debt.amount.cents)
                overdueTotal = overflow ? .max : sum
                daysOverdue = max(daysOverdue, today.days(since: debt.dueDate))
            }
        }
        avgDaysLate12m = paidCount == 0 ? 0 : lateDaysSum / paidCount
    }

    /// The value of a metric by its config name.
    public func value(of metric: SegmentCondition.Metric) -> Int64 {
        switch metric {
        case .daysOverdue: Int64(daysOverdue)
        case .latePayments12m: Int64(latePayments12m)
        case .openOverdue: Int64(openOverdue)
        case .overdueTotal: overdueTotal
        case .avgDaysLate12m: Int64(avgDaysLate12m)
        }
    }
}
