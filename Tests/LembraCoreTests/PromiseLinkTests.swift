import Foundation
import LembraCore
import Testing

@Suite struct PromiseLinkTests {
    static func sign(_ message: Data) -> Data { TestHMAC.sha256(key: Data("promise-test-secret".utf8), message: message) }
    static let due = CalendarDate(year: 2026, month: 11, day: 10)!
    static let expiresAt = Date(timeIntervalSince1970: 1_790_000_000.9)
    static let before = Date(timeIntervalSince1970: 1_789_000_000)

    /// The decoded fields of a query, as the ingress reads them.
    static func fields(_ query: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: query.split(separator: "&").map { item in
            let p = item.split(separator: "=", maxSplits: 1)
            return (String(p[0]), String(p[1]).removingPercentEncoding!)
        })
    }

    static func query(_ id: String = "D 1/?&x", step: String = "forgetful.1d") -> String {
        PromiseLink(debtID: id, dueDate: due, stepID: step, expiresAt: expiresAt).query(sign: sign)
    }

    func verdict(_ fields: [String: String], now: Date = PromiseLinkTests.before) -> String? {
        do { _ = try PromiseLink.verify(fields, sign: Self.sign, now: now); return nil } catch { return error.reason }
    }

    @Test func aLinkVerifiesAndCarriesTheDebtTheStepAndTheExpiry() throws {
        let query = Self.query()
        #expect(query.hasPrefix("d=D%201%2F%3F%26x&due=2026-11-10&step=forgetful.1d&exp=1790000000&sig="))
        let link = try PromiseLink.verify(Self.fields(query), sign: Self.sign, now: Self.before)
        #expect(link == PromiseLink(debtID: "D 1/?&x", dueDate: Self.due, stepID: "forgetful.1d", expiresAt: Self.expiresAt))
    }

    @Test func anAlteredFieldIsRefused() {
        let good = Self.fields(Self.query())
        for (name, value) in [("d", "D 2"), ("due", "2026-11-11"), ("step", "forgetful.4d"), ("exp", "1790000001"),
                              ("sig", String(good["sig"]!.reversed()))] {
            var bad = good
            bad[name] = value
            #expect(verdict(bad) == "invalid_signature", "\(name)")
        }
        #expect(verdict(Self.fields(Self.query()).merging(["sig": ""]) { $1 }) == "invalid_signature")
    }

    @Test func anotherKeyIsRefused() {
        let other = PromiseLink(debtID: "D1", dueDate: Self.due, stepID: "s", expiresAt: Self.expiresAt)
            .query { TestHMAC.sha256(key: Data("another-secret-of-some-length".utf8), message: $0) }
        #expect(verdict(Self.fields(other)) == "invalid_signature")
    }

    @Test func missingOrMisshapenFieldsAreMalformed() {
        let good = Self.fields(Self.query())
        for name in ["d", "due", "step", "exp", "sig"] {
            var bad = good
            bad[name] = nil
            #expect(verdict(bad) == "malformed", "\(name)")
        }
        #expect(verdict(good.merging(["exp": "-5"]) { $1 }) == "malformed")
        #expect(verdict(good.merging(["due": "10/11/2026"]) { $1 }) == "malformed")
        #expect(verdict(good.merging(["step": "a|b"]) { $1 }) == "malformed")
    }

    @Test func itExpiresAtExpWholeSeconds() {
        let good = Self.fields(Self.query())
        #expect(verdict(good, now: Date(timeIntervalSince1970: 1_789_999_999.99)) == nil)
        #expect(verdict(good, now: Date(timeIntervalSince1970: 1_790_000_000)) == "expired")
    }

    @Test func promiseDatesRunFromTomorrowToMaxDays() {
        let today = CalendarDate(year: 2026, month: 11, day: 30)!
        let dates = PromiseDates(today: today, maxDays: 10)
        #expect(dates.first.iso == "2026-12-01" && dates.last.iso == "2026-12-10")
        #expect(!dates.contains(today) && dates.contains(today.adding(days: 1)) && dates.contains(today.adding(days: 10)))
        #expect(!dates.contains(today.adding(days: 11)) && !dates.contains(today.adding(days: -1)))
    }
}
