import Foundation
import LembraCore
import Testing

@Suite struct CalendarDateTests {
    @Test(arguments: ["2026-11-20", "2024-02-29", "2000-02-29", "1970-01-01", "1900-01-01", "9999-12-31"])
    func isoRoundTrips(text: String) throws {
        let date = try #require(CalendarDate(iso: text))
        #expect(date.iso == text)
        #expect(date.description == text)
    }

    @Test(arguments: [
        "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-11-00", "1900-02-29", "2100-02-29",
        "1899-12-31", "2026-1-05", "26-11-20", "2026/11/20", "2026-11-20T10:00", "", "２０２６-11-20", "2026-11-2x",
        "-026-11-20", "2026-11-2 ", "2026-11-20\n", "2026+11-20", "2026-1/-20", "2026-11-2\u{0}",
    ])
    func rejectsInvalidDates(text: String) {
        #expect(CalendarDate(iso: text) == nil)
    }

    /// Every day from 1900 to 2100 (leap days, month and year ends), formatted and read back,
    /// against the calendar's own components.
    @Test func everyDayOfTwoCenturiesRoundTrips() throws {
        let first = try #require(CalendarDate(iso: "1900-01-01")), last = try #require(CalendarDate(iso: "2100-12-31"))
        for n in first.dayNumber...last.dayNumber {
            let date = CalendarDate(dayNumber: n), c = date.components
            let text = String(c.year) + "-" + (c.month < 10 ? "0" : "") + String(c.month) + "-" + (c.day < 10 ? "0" : "") + String(c.day)
            #expect(date.iso == text)
            #expect(CalendarDate(iso: text) == date)
        }
    }

    @Test func yearsPastFourDigitsAreWrittenInFull() {
        let c = CalendarDate.endOfTime.components
        #expect(c.year > 9999)
        #expect(CalendarDate.endOfTime.iso == "\(c.year)-\(c.month < 10 ? "0" : "")\(c.month)-\(c.day < 10 ? "0" : "")\(c.day)")
    }

    @Test(arguments: [(2024, true), (2000, true), (2028, true), (2026, false), (1900, false), (2100, false)])
    func leapYears(year: Int, leap: Bool) {
        #expect((CalendarDate(year: year, month: 2, day: 29) != nil) == leap)
        let days = CalendarDate(year: year + 1, month: 1, day: 1)!.days(since: CalendarDate(year: year, month: 1, day: 1)!)
        #expect(days == (leap ? 366 : 365))
    }

    @Test(arguments: [
        ("1970-01-01", 4), ("1969-12-31", 3), ("1969-12-28", 7), ("2026-11-20", 5), ("2026-11-21", 6),
        ("2026-11-22", 7), ("2026-11-23", 1), ("2000-01-01", 6), ("1900-01-01", 1),
    ])
    func isoWeekday(text: String, weekday: Int) {
        #expect(day(text).isoWeekday == weekday)
    }

    @Test func arithmetic() {
        #expect(day("2026-12-31").adding(days: 1) == day("2027-01-01"))
        #expect(day("2024-03-01").adding(days: -1) == day("2024-02-29"))
        #expect(day("2026-11-20").days(since: day("2026-11-17")) == 3)
        #expect(day("2026-01-01") < day("2026-01-02"))
        #expect(CalendarDate(dayNumber: 0) == day("1970-01-01"))
    }

    @Test func formatsPerLocale() {
        #expect(day("2026-11-20").formatted(locale: .ptBR) == "20/11/2026")
        #expect(day("2026-01-05").formatted(locale: .ptBR) == "05/01/2026")
        #expect(day("2026-11-20").formatted(locale: .en) == "2026-11-20")
    }

    @Test func dayOfAnInstantNearMidnightDependsOnTheZone() {
        // 02:30 UTC on Nov 21 is still 23:30 on Nov 20 in São Paulo (UTC-3).
        let lateEvening = instant("2026-11-21T02:30:00Z")
        #expect(CalendarDate(lateEvening, in: Zone.saoPaulo) == day("2026-11-20"))
        #expect(CalendarDate(lateEvening, in: Zone.utc) == day("2026-11-21"))
        #expect(CalendarDate(instant("2026-11-21T02:59:59Z"), in: Zone.saoPaulo) == day("2026-11-20"))
        #expect(CalendarDate(instant("2026-11-21T03:00:00Z"), in: Zone.saoPaulo) == day("2026-11-21"))
        #expect(CalendarDate(instant("2026-11-21T03:59:59Z"), in: Zone.manaus) == day("2026-11-20"))
        #expect(CalendarDate(instant("2026-11-21T02:00:00Z"), in: Zone.noronha) == day("2026-11-21"))
        #expect(CalendarDate(instant("1969-12-31T23:59:59Z"), in: Zone.utc) == day("1969-12-31"))
    }

    @Test func dayOfAnInstantAcrossDaylightSaving() {
        // Lisbon moves from UTC+0 to UTC+1 at 01:00 UTC on 2026-03-29.
        #expect(CalendarDate(instant("2026-03-28T23:30:00Z"), in: Zone.lisbon) == day("2026-03-28"))
        #expect(CalendarDate(instant("2026-03-29T23:30:00Z"), in: Zone.lisbon) == day("2026-03-30"))
        // New York: EDT (UTC-4) until 2026-11-01 06:00 UTC, then EST (UTC-5).
        #expect(CalendarDate(instant("2026-11-01T03:59:00Z"), in: Zone.newYork) == day("2026-10-31"))
        #expect(CalendarDate(instant("2026-11-02T04:30:00Z"), in: Zone.newYork) == day("2026-11-01"))
        #expect(CalendarDate(instant("2026-11-02T05:00:00Z"), in: Zone.newYork) == day("2026-11-02"))
    }

    @Test func instantOfAWallClockTime() {
        #expect(day("2026-11-20").instant(in: Zone.saoPaulo).timeIntervalSince1970 == utcSeconds("2026-11-20T03:00:00Z"))
        #expect(day("2026-11-20").instant(atMinute: 480, in: Zone.manaus).timeIntervalSince1970 == utcSeconds("2026-11-20T12:00:00Z"))
        #expect(day("2026-11-20").instant(atMinute: 480, in: Zone.noronha).timeIntervalSince1970 == utcSeconds("2026-11-20T10:00:00Z"))
        #expect(day("2026-07-01").instant(atMinute: 480, in: Zone.newYork).timeIntervalSince1970 == utcSeconds("2026-07-01T12:00:00Z"))
        #expect(day("2026-12-01").instant(atMinute: 480, in: Zone.newYork).timeIntervalSince1970 == utcSeconds("2026-12-01T13:00:00Z"))
        // 02:30 does not exist in New York on 2026-03-08: the clock jumps from 02:00 EST to 03:00 EDT.
        let gap = day("2026-03-08").instant(atMinute: 150, in: Zone.newYork)
        #expect(CalendarDate(gap, in: Zone.newYork) == day("2026-03-08"))
    }

    /// Every day starts on itself, and 08:00 is 08:00, in every zone, DST switches included:
    /// Santiago skips from 24:00 to 01:00 on 2026-09-06, so that day has no midnight.
    @Test(arguments: [Zone.saoPaulo, Zone.manaus, Zone.noronha, Zone.utc, Zone.newYork, Zone.lisbon, Zone.santiago])
    func everyDayStartsOnItself(zone: TimeZone) {
        var d = day("2025-01-01")
        while d <= day("2030-12-31") {
            let start = d.instant(in: zone)
            #expect(CalendarDate(start, in: zone) == d, "\(d) in \(zone.identifier)")
            #expect(CalendarDate(start.addingTimeInterval(-1), in: zone) == d.adding(days: -1), "\(d) in \(zone.identifier)")
            let eight = d.instant(atMinute: 480, in: zone)
            #expect(Int(eight.timeIntervalSince1970) + zone.secondsFromGMT(for: eight) == d.dayNumber * 86_400 + 480 * 60)
            d = d.adding(days: 1)
        }
    }
}
