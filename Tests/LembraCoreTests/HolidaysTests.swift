import LembraCore
import Testing

@Suite struct HolidaysTests {
    /// Easter Sundays as published (not computed), so the test can't share a bug with the code.
    static let easter: [Int: String] = [
        2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28", 2028: "2028-04-16", 2029: "2029-04-01", 2030: "2030-04-21",
    ]
    static let fixed = ["01-01", "04-21", "05-01", "09-07", "10-12", "11-02", "11-15", "11-20", "12-25"]

    static func expected(year: Int) -> Set<CalendarDate> {
        let e = day(easter[year]!)
        // Carnival Monday and Tuesday, Good Friday, Corpus Christi.
        let movable = [-48, -47, -2, 60].map { e.adding(days: $0) }
        return Set(fixed.map { day("\(year)-\($0)") } + movable)
    }

    @Test(arguments: 2025...2030)
    func brazilianNationalCalendar(year: Int) {
        var found: Set<CalendarDate> = []
        var d = CalendarDate(year: year, month: 1, day: 1)!
        while d.year == year {
            if Holidays.isBrazilianNational(d) { found.insert(d) }
            d = d.adding(days: 1)
        }
        #expect(found == Self.expected(year: year))
        #expect(found.count == 13)
    }

    @Test(arguments: 2025...2030)
    func easterMatchesThePublishedDate(year: Int) {
        #expect(Holidays.easterSunday(year: year) == day(Self.easter[year]!))
    }

    @Test func spotChecksAgainstThePublishedCalendar() {
        let holidays = Holidays(calendars: [.brNational])
        for text in ["2026-02-16", "2026-02-17", "2026-04-03", "2026-06-04", "2026-11-20", "2027-02-08", "2027-05-27"] {
            #expect(holidays.contains(day(text)), "\(text)")
        }
        for text in ["2026-02-18", "2026-04-05", "2026-11-19", "2026-12-24", "2026-12-31"] {
            #expect(!holidays.contains(day(text)), "\(text)")
        }
    }

    @Test func consciencaNegraIsNationalOnlyFrom2024() {
        #expect(!Holidays.isBrazilianNational(day("2023-11-20")))
        #expect(Holidays.isBrazilianNational(day("2024-11-20")))
    }

    @Test func extraDaysAndEmptyCalendars() {
        let municipal = day("2026-01-25") // São Paulo city anniversary
        #expect(Holidays(calendars: [.brNational], extra: [municipal]).contains(municipal))
        #expect(!Holidays(calendars: [.brNational]).contains(municipal))
        #expect(!Holidays().contains(day("2026-12-25")))
        #expect(Holidays(extra: [municipal]).contains(municipal))
        #expect(Holidays.Calendar(rawValue: "br-national") == .brNational)
    }
}
