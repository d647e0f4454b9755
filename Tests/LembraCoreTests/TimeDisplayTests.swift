import Foundation
import LembraCore
import Testing

/// Instants as operators read them (the business's zone with its offset) and as scripts read
/// them (`--utc`: ISO 8601 in UTC, what every output printed before).
struct TimeDisplayTests {
    static func instant(_ utc: String) -> Date { Timestamp.parse(utc, timeZone: Zone.utc)! }

    @Test(arguments: [
        (Zone.saoPaulo, "2026-11-25T13:00:00Z", "2026-11-25 10:00 -03:00", "2026-11-25T10:00:00-03:00"),
        // The day before, in the zone, when UTC has already turned the day.
        (Zone.saoPaulo, "2026-11-26T02:30:59Z", "2026-11-25 23:30 -03:00", "2026-11-25T23:30:59-03:00"),
        (Zone.noronha, "2026-11-25T13:00:00Z", "2026-11-25 11:00 -02:00", "2026-11-25T11:00:00-02:00"),
        // Daylight saving time: the offset is the one in force at that instant.
        (Zone.newYork, "2026-07-01T12:00:00Z", "2026-07-01 08:00 -04:00", "2026-07-01T08:00:00-04:00"),
        (Zone.newYork, "2026-12-01T12:00:00Z", "2026-12-01 07:00 -05:00", "2026-12-01T07:00:00-05:00"),
        (TimeZone(identifier: "Asia/Kolkata")!, "2026-11-25T13:00:00Z", "2026-11-25 18:30 +05:30", "2026-11-25T18:30:00+05:30"),
        (Zone.utc, "2026-11-25T13:00:00Z", "2026-11-25 13:00 +00:00", "2026-11-25T13:00:00+00:00"),
    ])
    func inTheBusinessZoneWithItsOffset(zone: TimeZone, utc: String, text: String, field: String) {
        let display = TimeDisplay(timeZone: zone)
        #expect(display.text(Self.instant(utc)) == text)
        #expect(display.field(Self.instant(utc)) == field)
    }

    @Test func utcIsISO8601AsBefore() {
        let display = TimeDisplay(timeZone: Zone.saoPaulo, utc: true)
        for utc in ["2026-11-25T13:00:00Z", "2026-11-26T02:30:59Z", "1969-12-31T23:59:59Z"] {
            #expect(display.text(Self.instant(utc)) == utc)
            #expect(display.field(Self.instant(utc)) == utc)
            #expect(TimeDisplay.iso.text(Self.instant(utc)) == Timestamp.format(Self.instant(utc)))
        }
    }

    /// A fraction of a second is cut, as a clock shows it, never rounded into the next minute.
    @Test func secondsAreCutNotRounded() {
        let date = Self.instant("2026-11-25T12:59:59Z").addingTimeInterval(0.9)
        #expect(TimeDisplay(timeZone: Zone.saoPaulo).text(date) == "2026-11-25 09:59 -03:00")
        #expect(TimeDisplay(timeZone: Zone.saoPaulo).field(date) == "2026-11-25T09:59:59-03:00")
    }
}
