import Foundation
import LembraCore

/// The instants PSPs send: ISO 8601 with an offset (`Z` or `±HH:MM`) and optional fractional
/// seconds (`2026-11-18T10:02:31.358Z`, as in the BCB Pix API). An instant without an offset is
/// refused: a machine that leaves it out could mean any zone.
enum IngressTimestamp {
    static func parse(_ text: String) -> Date? {
        var t = Substring(text)
        let offsetLength = t.hasSuffix("Z") ? 1 : 6
        guard t.count >= 19 + offsetLength else { return nil }
        let offset = t.suffix(offsetLength)
        if offsetLength == 6, offset.first != "+" && offset.first != "-" { return nil }
        t = t.dropLast(offsetLength)
        // Fractional seconds: dropped (the ledger keeps whole seconds of a payment's time).
        if t.count > 19 {
            let fraction = t.dropFirst(19)
            guard fraction.first == ".", fraction.count > 1, fraction.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            t = t.prefix(19)
        }
        return Timestamp.parse(String(t + offset), timeZone: TimeZone(identifier: "UTC")!)
    }
}
