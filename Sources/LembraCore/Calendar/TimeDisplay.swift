import Foundation

/// How an instant is shown: in the business's zone with its offset, the way the operator's day
/// runs (`2026-11-25 10:00 -03:00`), or in UTC for scripts (`--utc`). A calendar date (a due
/// date) is never an instant and is never shown through this.
///
/// UTC is ISO 8601 (`2026-11-25T13:00:00Z`): what earlier versions printed everywhere, so a
/// script that read those keeps working with `--utc`, and what every date library parses.
/// Log fields are ISO 8601 in the business's zone with its offset (`2026-11-25T10:00:00-03:00`):
/// one logfmt token, no quoting, still parseable and still the operator's clock.
public struct TimeDisplay: Sendable, Equatable {
    public let timeZone: TimeZone
    public let utc: Bool

    public init(timeZone: TimeZone, utc: Bool = false) {
        self.timeZone = timeZone
        self.utc = utc
    }

    /// UTC in ISO 8601, what scripts and older outputs read.
    public static let iso = TimeDisplay(timeZone: TimeZone(identifier: "UTC")!, utc: true)

    /// For people: `2026-11-25 10:00 -03:00`; with `utc`, `2026-11-25T13:00:00Z`.
    public func text(_ date: Date) -> String {
        if utc { return field(date) }
        let offset = secondsEast(of: date)
        let local = Self.local(date, offset: offset)
        return "\(local.day.iso) \(Self.hoursAndMinutes(local.seconds)) \(Self.offsetText(offset))"
    }

    /// For log fields: `2026-11-25T10:00:00-03:00`; with `utc`, `2026-11-25T13:00:00Z`.
    public func field(_ date: Date) -> String {
        let offset = secondsEast(of: date)
        let local = Self.local(date, offset: offset)
        return "\(local.day.iso)T\(Self.hoursAndMinutes(local.seconds)):\(Self.two(local.seconds % 60))\(utc ? "Z" : Self.offsetText(offset))"
    }

    /// Seconds east of UTC at `date`: the zone's, which changes with daylight saving time.
    private func secondsEast(of date: Date) -> Int { utc ? 0 : timeZone.secondsFromGMT(for: date) }

    /// The wall-clock day and seconds into it at `offset`, to the whole second (rounded down,
    /// as a clock shows it).
    private static func local(_ date: Date, offset: Int) -> (day: CalendarDate, seconds: Int) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let day = Int((Double(seconds) / 86_400).rounded(.down))
        return (CalendarDate(dayNumber: day), seconds - day * 86_400)
    }

    /// `10:00` for 36,000 seconds into the day.
    private static func hoursAndMinutes(_ seconds: Int) -> String { "\(two(seconds / 3600)):\(two(seconds / 60 % 60))" }

    /// `-03:00`, `+05:30`, `+00:00`.
    private static func offsetText(_ seconds: Int) -> String {
        let minutes = abs(seconds) / 60
        return "\(seconds < 0 ? "-" : "+")\(two(minutes / 60)):\(two(minutes % 60))"
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
