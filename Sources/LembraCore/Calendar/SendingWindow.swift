import Foundation

/// When messages may reach a customer, in the customer's own time zone. The default is the legal
/// one (CDC art. 71, SP Lei 15.426/2014): Mon–Fri 08:00–20:00, Sat 08:00–14:00, never on Sundays
/// or holidays.
public struct SendingWindow: Sendable, Equatable {
    /// Minutes since midnight, start inclusive, end exclusive.
    public struct Hours: Sendable, Equatable {
        public var start: Int
        public var end: Int
        public init(start: Int, end: Int) { self.start = start; self.end = end }

        /// Parses `HH:MM-HH:MM`.
        public init?(_ text: String) {
            let halves = text.split(separator: "-")
            guard halves.count == 2, let s = Hours.minutes(halves[0]), let e = Hours.minutes(halves[1]), s < e else { return nil }
            start = s; end = e
        }

        static func minutes(_ text: Substring) -> Int? {
            let p = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
            guard p.count == 2, p[0].count == 2, p[1].count == 2, let h = Int(p[0]), let m = Int(p[1]),
                  (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 1440 else { return nil }
            return h * 60 + m
        }
    }

    /// Indexed by ISO weekday - 1 (Monday first); nil means closed all day.
    public var days: [Hours?]
    public var holidays: Holidays

    public init(days: [Hours?], holidays: Holidays) {
        precondition(days.count == 7)
        self.days = days
        self.holidays = holidays
    }

    /// Mon–Fri 08:00–20:00, Sat 08:00–14:00, Sunday closed, Brazilian national holidays.
    public static let legalDefault = SendingWindow(
        days: Array(repeating: Hours(start: 480, end: 1200), count: 5) + [Hours(start: 480, end: 840), nil],
        holidays: Holidays(calendars: [.brNational]))

    /// Why the window is shut, if it is.
    public enum Closure: String, Sendable { case outsideWindow = "outside_window", holiday }

    /// nil when `instant` is inside the window for a customer in `timeZone`.
    public func closure(at instant: Date, in timeZone: TimeZone) -> Closure? {
        let day = CalendarDate(instant, in: timeZone)
        if holidays.contains(day) { return .holiday }
        guard let hours = days[day.isoWeekday - 1] else { return .outsideWindow }
        let minute = minuteOfDay(instant, timeZone)
        return (hours.start..<hours.end).contains(minute) ? nil : .outsideWindow
    }

    /// Whether the window opens at all on `day` (not a holiday, not a day closed all day). A
    /// step due before the due date on a day it doesn't is sent on an earlier day that it does
    /// (see `Planner.sendDay`).
    public func opens(on day: CalendarDate) -> Bool {
        !holidays.contains(day) && days[day.isoWeekday - 1] != nil
    }

    /// The next instant at or after `instant` when the window is open (searches a year ahead).
    public func nextOpening(atOrAfter instant: Date, in timeZone: TimeZone) -> Date? {
        if closure(at: instant, in: timeZone) == nil { return instant }
        let today = CalendarDate(instant, in: timeZone)
        for offset in 0...370 {
            let day = today.adding(days: offset)
            guard !holidays.contains(day), let hours = days[day.isoWeekday - 1] else { continue }
            let opening = day.instant(atMinute: hours.start, in: timeZone)
            if opening > instant { return opening }
            if offset == 0 && minuteOfDay(instant, timeZone) < hours.end { return instant }
        }
        return nil
    }

    /// When the open period that contains `instant` ends (the day's closing time in
    /// `timeZone`); nil when the window is shut at `instant`. A tick that runs long (a `rate:`
    /// limit, a slow gateway) must not send past it what it planned while it was open.
    public func closing(after instant: Date, in timeZone: TimeZone) -> Date? {
        guard closure(at: instant, in: timeZone) == nil, let hours = days[CalendarDate(instant, in: timeZone).isoWeekday - 1] else { return nil }
        return CalendarDate(instant, in: timeZone).instant(atMinute: hours.end, in: timeZone)
    }

    private func minuteOfDay(_ instant: Date, _ timeZone: TimeZone) -> Int {
        let local = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
        return ((local % 86_400) + 86_400) % 86_400 / 60
    }
}
