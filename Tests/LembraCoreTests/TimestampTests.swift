import Foundation
import LembraCore
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        // A date alone is local midnight.
        ("2026-11-20", "2026-11-20T03:00:00Z"),
        ("2026-11-20T10:30", "2026-11-20T13:30:00Z"),
        ("2026-11-20T10:30:15", "2026-11-20T13:30:15Z"),
        ("2026-11-20 10:30", "2026-11-20T13:30:00Z"),
        ("2026-11-20T10:30:00Z", "2026-11-20T10:30:00Z"),
        ("2026-11-20T10:30Z", "2026-11-20T10:30:00Z"),
        ("2026-11-20T10:30:00-03:00", "2026-11-20T13:30:00Z"),
        ("2026-11-20T23:30:00-03:00", "2026-11-21T02:30:00Z"),
        ("2026-11-20T01:00:00+05:30", "2026-11-19T19:30:00Z"),
        ("2026-11-20T10:30+00:00", "2026-11-20T10:30:00Z"),
        ("  2026-11-20T10:30:00Z ", "2026-11-20T10:30:00Z"),
        // What `TimeDisplay` shows people, so it can be pasted back into `--since`.
        ("2026-11-20 10:30 -03:00", "2026-11-20T13:30:00Z"),
    ])
    func parses(text: String, utc: String) throws {
        let date = try #require(Timestamp.parse(text, timeZone: Zone.saoPaulo))
        #expect(Timestamp.format(date) == utc)
    }

    @Test func withoutOffsetTheTimeIsLocalToTheGivenZone() {
        #expect(Timestamp.format(Timestamp.parse("2026-11-20T08:00", timeZone: Zone.manaus)!) == "2026-11-20T12:00:00Z")
        #expect(Timestamp.format(Timestamp.parse("2026-11-20", timeZone: Zone.utc)!) == "2026-11-20T00:00:00Z")
        #expect(Timestamp.format(Timestamp.parse("2026-07-01T08:00", timeZone: Zone.newYork)!) == "2026-07-01T12:00:00Z")
        // An explicit offset wins over the zone.
        #expect(Timestamp.format(Timestamp.parse("2026-11-20T08:00Z", timeZone: Zone.manaus)!) == "2026-11-20T08:00:00Z")
    }

    @Test(arguments: [
        "", "garbage", "2026-11", "2026-11-20T", "2026-11-20X10:30", "2026-11-20T25:00", "2026-11-20T10:60",
        "2026-11-20T10:30:60", "2026-11-20T10", "2026-11-20T1:30", "2026-11-20T10:30:00+0300", "2026-11-20T10:30:00+3:00",
        "2026-11-20TZ", "2026-02-30T10:00", "20/11/2026", "2026-11-20T10:30:00.5Z", "2026-11-20T10:3a",
        // Digits that are not ASCII are not digits of a time.
        "2026-11-20T10:30:½½", "2026-11-20T10:30:٣٣", "2026-11-20T١٠:30",
    ])
    func rejectsGarbage(text: String) {
        #expect(Timestamp.parse(text, timeZone: Zone.saoPaulo) == nil)
    }

    /// Every time a person is shown reads back as the same minute.
    @Test(arguments: [Zone.saoPaulo, Zone.manaus, Zone.newYork, Zone.utc])
    func whatTimeDisplayShowsParsesBack(zone: TimeZone) throws {
        for minutes in stride(from: 0, to: 366 * 24 * 60, by: 997) {
            let date = Date(timeIntervalSince1970: 1_780_000_020 + Double(minutes * 60))
            let shown = TimeDisplay(timeZone: zone).text(date)
            #expect(Timestamp.parse(shown, timeZone: Zone.utc) == date, "\(shown)")
        }
    }

    @Test func formatIsUTCWithZ() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }
}
