/// The dates a customer may promise to pay by: from tomorrow to `maxDays` days from today, in
/// the customer's own calendar. The page's date picker offers this range and the server checks
/// it again (a form can be sent without the page).
public struct PromiseDates: Sendable, Equatable {
    public let first: CalendarDate
    public let last: CalendarDate

    public init(today: CalendarDate, maxDays: Int) {
        first = today.adding(days: 1); last = today.adding(days: max(1, maxDays))
    }

    public func contains(_ date: CalendarDate) -> Bool { first <= date && date <= last }
}
