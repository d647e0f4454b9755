import Foundation
import LembraCore
import Testing

/// November 2026: Fri 13, Sat 14, Sun 15 (also a holiday), Mon 16; Fri 20 and Mon 2 are holidays.
@Suite struct SendingWindowTests {
    let window = SendingWindow.legalDefault

    @Test(arguments: [
        ("2026-11-16T07:59", SendingWindow.Closure.outsideWindow), ("2026-11-16T08:00", nil), ("2026-11-16T12:00", nil),
        ("2026-11-16T19:59", nil), ("2026-11-16T19:59:59", nil), ("2026-11-16T20:00", .outsideWindow),
        ("2026-11-16T23:59", .outsideWindow), ("2026-11-16T00:00", .outsideWindow),
        ("2026-11-13T19:59", nil), ("2026-11-14T07:59", .outsideWindow), ("2026-11-14T08:00", nil),
        ("2026-11-14T13:59", nil), ("2026-11-14T14:00", .outsideWindow), ("2026-11-22T12:00", .outsideWindow),
        ("2026-11-20T12:00", .holiday), ("2026-11-02T10:00", .holiday), ("2026-11-15T10:00", .holiday),
        ("2026-12-25T10:00", .holiday), ("2026-12-24T10:00", nil),
    ] as [(String, SendingWindow.Closure?)])
    func legalDefaultInSaoPaulo(local: String, closure: SendingWindow.Closure?) {
        #expect(window.closure(at: instant(local), in: Zone.saoPaulo) == closure)
    }

    @Test func theCustomersZoneDecidesNotTheBusinesss() {
        // 08:30 in São Paulo is 07:30 in Manaus (UTC-4) and 09:30 in Noronha (UTC-2).
        let morning = instant("2026-11-16T08:30")
        #expect(window.closure(at: morning, in: Zone.saoPaulo) == nil)
        #expect(window.closure(at: morning, in: Zone.manaus) == .outsideWindow)
        #expect(window.closure(at: morning, in: Zone.noronha) == nil)
        // 19:30 in São Paulo is 20:30 in Noronha: closed there, open in Manaus.
        let evening = instant("2026-11-16T19:30")
        #expect(window.closure(at: evening, in: Zone.noronha) == .outsideWindow)
        #expect(window.closure(at: evening, in: Zone.manaus) == nil)
        // 22:30 on Thursday Nov 19 in Manaus is already Nov 20, a holiday, in Noronha.
        let thursdayNight = instant("2026-11-19T22:30", Zone.manaus)
        #expect(window.closure(at: thursdayNight, in: Zone.noronha) == .holiday)
        #expect(window.nextOpening(atOrAfter: morning, in: Zone.manaus) == instant("2026-11-16T08:00", Zone.manaus))
    }

    @Test(arguments: [
        ("2026-11-13T21:00", "2026-11-14T08:00"), // Friday night → Saturday morning
        ("2026-11-14T15:00", "2026-11-16T08:00"), // Saturday afternoon → Monday
        ("2026-11-16T06:00", "2026-11-16T08:00"), // before opening the same day
        ("2026-11-16T20:00", "2026-11-17T08:00"),
        ("2026-11-19T21:00", "2026-11-21T08:00"), // Friday Nov 20 is a holiday
        ("2026-10-31T15:00", "2026-11-03T08:00"), // Sunday, then the Monday holiday Nov 2
        ("2026-11-20T10:00", "2026-11-21T08:00"), // on the holiday itself
        ("2026-12-24T20:30", "2026-12-26T08:00"),
    ])
    func nextOpening(from: String, expected: String) {
        #expect(window.nextOpening(atOrAfter: instant(from), in: Zone.saoPaulo) == instant(expected))
    }

    @Test func nextOpeningOfAnOpenWindowIsNow() {
        let now = instant("2026-11-16T10:17:23")
        #expect(window.nextOpening(atOrAfter: now, in: Zone.saoPaulo) == now)
    }

    @Test func nextOpeningIsAlwaysOpenAndNeverEarlier() {
        var t = instant("2026-12-20T00:00")
        while t < instant("2027-01-10T00:00") {
            for zone in [Zone.saoPaulo, Zone.manaus, Zone.noronha] {
                let opening = window.nextOpening(atOrAfter: t, in: zone)!
                #expect(opening >= t)
                #expect(window.closure(at: opening, in: zone) == nil)
                #expect(window.closure(at: opening.addingTimeInterval(-60), in: zone) != nil || opening == t)
            }
            t = t.addingTimeInterval(37 * 60)
        }
    }

    @Test(arguments: [
        ("2026-11-16T08:00", "2026-11-16T20:00"), ("2026-11-16T19:59:59", "2026-11-16T20:00"),
        ("2026-11-14T13:00", "2026-11-14T14:00"), ("2026-11-16T20:00", nil), ("2026-11-16T07:59", nil),
        ("2026-11-15T10:00", nil), ("2026-11-20T12:00", nil),
    ] as [(String, String?)])
    func closingIsTheEndOfTheOpenPeriod(local: String, closing: String?) {
        #expect(window.closing(after: instant(local), in: Zone.saoPaulo) == closing.map { instant($0) })
    }

    /// The closing time is the customer's: 19:30 in São Paulo is 18:30 in Manaus, whose window
    /// closes an hour later on the business's clock.
    @Test func closingIsInTheCustomersZone() {
        let t = instant("2026-11-16T19:30")
        #expect(window.closing(after: t, in: Zone.manaus) == instant("2026-11-16T20:00", Zone.manaus))
        #expect(window.closing(after: t, in: Zone.noronha) == nil)
    }

    @Test func neverOpenMeansNoOpening() {
        let shut = SendingWindow(days: Array(repeating: nil, count: 7), holidays: Holidays())
        #expect(shut.nextOpening(atOrAfter: instant("2026-11-16T10:00"), in: Zone.saoPaulo) == nil)
    }

    @Test(arguments: [("08:00-20:00", 480, 1200), ("00:00-24:00", 0, 1440), ("09:30-14:15", 570, 855), (" 08:00 - 12:00 ", 480, 720)])
    func parsesHours(text: String, start: Int, end: Int) {
        #expect(SendingWindow.Hours(text) == SendingWindow.Hours(start: start, end: end))
    }

    @Test(arguments: ["8:00-20:00", "20:00-08:00", "08:00-08:00", "08:00-24:01", "08:00", "08:60-09:00", "25:00-26:00", "a:bc-20:00", ""])
    func rejectsBadHours(text: String) {
        #expect(SendingWindow.Hours(text) == nil)
    }
}
