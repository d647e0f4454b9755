import Foundation

/// Reads the dates spreadsheets write: ISO `2026-11-20` and the pt-BR `20/11/2026` (day first,
/// always: `mm/dd` is never read, so `11/20/2026` is refused rather than taken as the 11th of a
/// twentieth month, and `05/11/2026` is the 5th of November). Date-times (`paid_at`) may follow
/// either with a time, as LibreOffice writes `20/11/2026 10:30:00`; those go on to `Timestamp`.
enum CSVDate {
    static let dayExample = "20/11/2026 or 2026-11-20"
    static let instantExample = "20/11/2026, 20/11/2026 10:30 or 2026-11-20T10:30:00-03:00"

    /// A message for a due date that is not one, or nil.
    static func dayProblem(_ text: String) -> String? {
        switch isoDay(text) {
        case .failure(let p): return p.message
        case .success(let iso): return iso.count == 10 ? nil : "not a date like \(dayExample)"
        }
    }

    static func day(_ text: String) -> CalendarDate? { (try? isoDay(text).get()).flatMap(CalendarDate.init(iso:)) }

    /// A message for a date-time that is not one, or nil. `timeZone` reads a value without an offset.
    static func instantProblem(_ text: String, timeZone: TimeZone) -> String? {
        switch isoDay(text) {
        case .failure(let p): return p.message
        case .success(let iso): return Timestamp.parse(iso, timeZone: timeZone) == nil ? "not a date and time like \(instantExample)" : nil
        }
    }

    static func instant(_ text: String, timeZone: TimeZone) -> Date? {
        (try? isoDay(text).get()).flatMap { Timestamp.parse($0, timeZone: timeZone) }
    }

    struct Problem: Error { var message: String }

    /// `text` with a leading `dd/mm/yyyy` rewritten as `yyyy-mm-dd`, the rest (a time) kept;
    /// a failure when the leading date is written in either form but does not exist.
    static func isoDay(_ text: String) -> Result<String, Problem> {
        let head = text.prefix { $0 != " " && $0 != "T" }, rest = text.dropFirst(head.count)
        let slash = head.split(separator: "/", omittingEmptySubsequences: false)
        let dash = head.split(separator: "-", omittingEmptySubsequences: false)
        let dayFirst = slash.count == 3
        guard let parts = dayFirst ? slash : dash.count == 3 ? dash : nil, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
            return .failure(Problem(message: "not a date like \(dayExample)"))
        }
        let (y, m, d) = dayFirst ? (parts[2], parts[1], parts[0]) : (parts[0], parts[1], parts[2])
        guard y.count == 4, (1...2).contains(m.count), (1...2).contains(d.count), let year = Int(y), let month = Int(m), let day = Int(d) else {
            return .failure(Problem(message: dayFirst ? "not a date like 20/11/2026 (the year in four digits)" : "not a date like \(dayExample)"))
        }
        guard (1900...9999).contains(year) else { return .failure(Problem(message: "the year must be between 1900 and 9999")) }
        guard (1...12).contains(month) else {
            return .failure(Problem(message: "no month \(month)" + (dayFirst ? "; dates are read day/month/year, like 20/11/2026" : "")))
        }
        guard let date = CalendarDate(year: year, month: month, day: day) else {
            return .failure(Problem(message: "\(head) is not a date: \(Self.monthName(month)) \(year) has \(CalendarDate.daysIn(month: month, year: year)) days"))
        }
        return .success(date.iso + rest)
    }

    static func monthName(_ month: Int) -> String {
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"][month - 1]
    }
}
