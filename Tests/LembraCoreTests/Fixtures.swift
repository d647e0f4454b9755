import Foundation
import LembraCore

/// Time zones the tests use. São Paulo, Manaus and Noronha have had no DST since 2019.
enum Zone {
    static let saoPaulo = TimeZone(identifier: "America/Sao_Paulo")!
    static let manaus = TimeZone(identifier: "America/Manaus")!
    static let noronha = TimeZone(identifier: "America/Noronha")!
    static let utc = TimeZone(identifier: "UTC")!
    static let newYork = TimeZone(identifier: "America/New_York")!
    static let lisbon = TimeZone(identifier: "Europe/Lisbon")!
    /// Chile moves its clocks at midnight, so some days have no 00:00.
    static let santiago = TimeZone(identifier: "America/Santiago")!
}

/// A fixed instant; a date alone or a time without offset is read in `zone` (São Paulo by default).
func instant(_ text: String, _ zone: TimeZone = Zone.saoPaulo) -> Date {
    guard let date = Timestamp.parse(text, timeZone: zone) else { fatalError("bad fixture timestamp \(text)") }
    return date
}

func day(_ text: String) -> CalendarDate {
    guard let date = CalendarDate(iso: text) else { fatalError("bad fixture date \(text)") }
    return date
}

/// Seconds since the Unix epoch, for comparing instants with a readable literal.
func utcSeconds(_ text: String) -> Double { instant(text, Zone.utc).timeIntervalSince1970 }

/// The problems an import reports: every row and column at once, or the reader's single error.
func importErrors(_ text: String, decode: (CSVTable) throws -> Void) -> [CSVError] {
    do { try decode(try CSVReader.parse(Array(text.utf8))); return [] }
    catch let error as CSVImportError { return error.errors }
    catch let error as CSVError { return [error] }
    catch { return [CSVError(row: 0, "unexpected \(error)")] }
}
