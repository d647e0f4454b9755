import Foundation

/// Parses the instants people type: `2026-11-20`, `2026-11-20T10:30`, `2026-11-20T10:30:00`,
/// with an optional `Z` or `±HH:MM` offset, and what `TimeDisplay` prints
/// (`2026-11-20 10:30 -03:00`), so a time copied from `history` can be pasted into a flag. Without an offset the time is local to `timeZone`
/// (a date alone is its midnight), which is what an operator in São Paulo means.
public enum Timestamp {
    public static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.count >= 10, let day = CalendarDate(iso: String(t.prefix(10))) else { return nil }
        var rest = t.dropFirst(10)
        if rest.isEmpty { return day.instant(in: timeZone) }
        guard rest.first == "T" || rest.first == " " else { return nil }
        rest = rest.dropFirst()
        var offset: Int? = nil
        if rest.hasSuffix("Z") {
            offset = 0; rest = rest.dropLast()
        } else if rest.count > 6, let sign = rest.dropLast(5).last, sign == "+" || sign == "-" {
            let o = rest.suffix(5).split(separator: ":")
            guard o.count == 2, let h = Int(o[0]), let m = Int(o[1]), o[0].count == 2, o[1].count == 2 else { return nil }
            offset = (sign == "-" ? -1 : 1) * (h * 3600 + m * 60)
            rest = rest.dropLast(6)
            if rest.last == " " { rest = rest.dropLast() }
        }
        let hms = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(hms.count), hms.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let h = Int(hms[0]), let m = Int(hms[1]), h < 24, m < 60 else { return nil }
        let s = hms.count == 3 ? Int(hms[2])! : 0
        guard s < 60 else { return nil }
        let minute = h * 60 + m
        guard let offset else { return day.instant(atMinute: minute, in: timeZone).addingTimeInterval(Double(s)) }
        return Date(timeIntervalSince1970: Double(day.dayNumber * 86_400 + minute * 60 + s - offset))
    }

    /// `2026-11-20T13:30:00Z`, for logs and CSV round trips.
    public static func format(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
