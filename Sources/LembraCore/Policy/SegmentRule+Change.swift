import Foundation

extension SegmentRule {
    /// The first day after `today`, and before `limit` when given, on which `segment(for:rules:)`
    /// answers otherwise than `current` (its answer today) for a customer with these debts, if nothing but time passes; nil when
    /// there is none. A payment or an import changes the debts, and brings the customer back to
    /// the planner anyway.
    ///
    /// The planner looks at a customer again on this day: a customer crossing `days_overdue > 30`
    /// becomes chronic that day, and the chronic ladder's due step must go out then, not at the
    /// next step of the old ladder (or never, when it has none).
    ///
    /// The metrics move on few days only: a debt falls overdue the day after its due date
    /// (`open_overdue`, `overdue_total`, `days_overdue`), a paid debt leaves the last 12 months
    /// 366 days after its payment (`late_payments_12m`, `avg_days_late_12m`), and `days_overdue`,
    /// which grows by one a day, can turn a condition over it only on the day it reaches the
    /// condition's number or the day after. Those days are tried in order; between two of them
    /// no condition, hence no segment, can change.
    public static func nextChange(from current: String?, debts: [Debt], today: CalendarDate, timeZone: TimeZone, rules: [SegmentRule],
                                  before limit: CalendarDate? = nil) -> CalendarDate? {
        let end = limit?.dayNumber ?? Int.max
        for n in changeDays(debts: debts, timeZone: timeZone, rules: rules).filter({ $0 > today.dayNumber && $0 < end }).sorted() {
            let day = CalendarDate(dayNumber: n)
            if segment(for: CustomerMetrics(debts: debts, today: day, timeZone: timeZone), rules: rules) != current { return day }
        }
        return nil
    }

    /// The days (day numbers) on which a metric the rules read may change, past ones included.
    static func changeDays(debts: [Debt], timeZone: TimeZone, rules: [SegmentRule]) -> Set<Int> {
        var days: Set<Int> = []
        var oldestOpen: Int?
        for debt in debts {
            if let paidAt = debt.paidAt {
                days.insert(CalendarDate(paidAt, in: timeZone).dayNumber + 366)
            } else {
                days.insert(debt.dueDate.dayNumber + 1)
                oldestOpen = min(oldestOpen ?? Int.max, debt.dueDate.dayNumber)
            }
        }
        guard let oldestOpen else { return days }
        // Numbers beyond any calendar date (years 1900...9999 span about 3 million days) are
        // never reached, and would overflow the day arithmetic.
        for condition in rules.flatMap({ $0.any + $0.all }) where condition.metric == .daysOverdue && (-4_000_000...4_000_000).contains(condition.value) {
            days.insert(oldestOpen + Int(condition.value))
            days.insert(oldestOpen + Int(condition.value) + 1)
        }
        return days
    }
}
