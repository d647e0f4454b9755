/// Days on which no collection message goes out (CDC art. 71 and state laws: never on holidays).
public struct Holidays: Sendable, Equatable {
    /// Built-in calendars by name.
    public enum Calendar: String, Sendable, CaseIterable { case brNational = "br-national" }

    public var calendars: [Calendar]
    /// State and city holidays from the config (`extra_holidays:`).
    public var extra: Set<CalendarDate>

    public init(calendars: [Calendar] = [], extra: Set<CalendarDate> = []) {
        self.calendars = calendars
        self.extra = extra
    }

    public func contains(_ day: CalendarDate) -> Bool {
        extra.contains(day) || calendars.contains { $0 == .brNational && Holidays.isBrazilianNational(day) }
    }

    /// National holidays plus the bank non-business days collection also avoids (Carnival Monday
    /// and Tuesday, Corpus Christi). Nov 20 (Consciência Negra) is national from 2024 on.
    public static func isBrazilianNational(_ day: CalendarDate) -> Bool {
        let (y, m, d) = day.components
        switch (m, d) {
        case (1, 1), (4, 21), (5, 1), (9, 7), (10, 12), (11, 2), (11, 15), (12, 25): return true
        case (11, 20) where y >= 2024: return true
        default: break
        }
        let easter = easterSunday(year: y)
        // Carnival Monday (-48), Carnival Tuesday (-47), Good Friday (-2), Corpus Christi (+60).
        return [-48, -47, -2, 60].contains(day.days(since: easter))
    }

    /// Gregorian Easter (anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
    public static func easterSunday(year y: Int) -> CalendarDate {
        let a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CalendarDate(year: y, month: month, day: day)!
    }
}
