import Foundation

/// A calendar day with no time or zone: a due date, a holiday, "today" for a customer.
/// Stored as days since 1970-01-01 so arithmetic and comparison are plain integer operations.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (proleptic Gregorian).
    public let dayNumber: Int

    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// nil when the date does not exist (2026-02-30) or the year is outside 1900...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        dayNumber = CalendarDate.daysFromCivil(year, month, day)
    }

    /// Parses exactly `YYYY-MM-DD`.
    ///
    /// Read from the UTF-8 bytes, not split into substrings: the ledger stores due dates this way
    /// and the tick parses one for every debt and every claimed step it loads.
    public init?(iso text: String) {
        var text = text
        guard let (y, m, d) = text.withUTF8(Self.isoFields) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Year, month and day of exactly `DDDD-DD-DD` in ASCII digits, or nil.
    private static func isoFields(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int)? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                let digit = bytes[i] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                n = n * 10 + Int(digit)
            }
            return n
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        return (y, m, d)
    }

    /// The calendar day an instant falls on in `timeZone`.
    public init(_ instant: Date, in timeZone: TimeZone) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
        dayNumber = Int((Double(seconds) / 86_400).rounded(.down))
    }

    public var components: (year: Int, month: Int, day: Int) { CalendarDate.civil(from: dayNumber) }
    public var year: Int { components.year }

    /// 1 = Monday ... 7 = Sunday (ISO 8601). 1970-01-01 was a Thursday.
    public var isoWeekday: Int { ((dayNumber % 7) + 7 + 3) % 7 + 1 }

    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }
    public func days(since other: CalendarDate) -> Int { dayNumber - other.dayNumber }

    /// `YYYY-MM-DD`. Written byte by byte for the years a debt can have (the ledger's step keys
    /// hold one per claimed step, formatted on the tick's hot path); the sentinel `endOfTime`,
    /// far past year 9999, takes the general path.
    public var iso: String {
        let c = components
        guard (0...9999).contains(c.year) else { return "\(Self.padded(c.year, 4))-\(Self.padded(c.month, 2))-\(Self.padded(c.day, 2))" }
        return String(unsafeUninitializedCapacity: 10) { out in
            func put(_ n: Int, at end: Int, width: Int) {
                var n = n
                for i in stride(from: end - 1, through: end - width, by: -1) { out[i] = UInt8(ascii: "0") + UInt8(n % 10); n /= 10 }
            }
            put(c.year, at: 4, width: 4); out[4] = UInt8(ascii: "-")
            put(c.month, at: 7, width: 2); out[7] = UInt8(ascii: "-")
            put(c.day, at: 10, width: 2)
            return 10
        }
    }

    /// `20/11/2026` in pt-BR, `2026-11-20` in English (unambiguous for every reader).
    public func formatted(locale: MessageLocale) -> String {
        let c = components
        return locale == .ptBR ? "\(Self.padded(c.day, 2))/\(Self.padded(c.month, 2))/\(Self.padded(c.year, 4))" : iso
    }

    /// `n` with leading zeros to `width` digits, like `%0*d` without Foundation's `String(format:)`,
    /// which is slow enough to show in a tick's profile (dates are formatted for every message).
    private static func padded(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// The instant this day starts, plus `minutes`, in `timeZone`. Tries the zone's offsets from a
    /// day before and a day after: the earliest that maps back to this wall-clock time wins (the
    /// first 01:30 when clocks fall back); in a DST gap none does, and the moment the clocks jump
    /// is taken, so a day with no midnight (Santiago, 2026-09-06) starts at 01:00 on that day.
    public func instant(atMinute minutes: Int = 0, in timeZone: TimeZone) -> Date {
        let wall = Double(dayNumber * 86_400 + minutes * 60)
        let offset = { (t: Double) in Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: t))) }
        let candidates = [wall - offset(wall - 86_400), wall - offset(wall + 86_400)]
        let exact = candidates.filter { $0 + offset($0) == wall }
        return Date(timeIntervalSince1970: exact.min() ?? candidates.max()!)
    }

    public var description: String { iso }
    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.dayNumber < b.dayNumber }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(from z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }
}
