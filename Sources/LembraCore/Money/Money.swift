/// An amount of money in integer cents. Never floating point: a reminder that says R$ 0,01 too
/// much is an undue charge (CDC art. 42).
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var cents: Int64

    public init(cents: Int64) { self.cents = cents }

    public static func < (a: Money, b: Money) -> Bool { a.cents < b.cents }
    public static func + (a: Money, b: Money) -> Money { Money(cents: a.cents + b.cents) }
    public static let zero = Money(cents: 0)

    /// Parses the CSV form `1234.56` (also `1234`, `1234.5`): digits, an optional `.` and at most
    /// two decimals. No thousands separators, signs or exponents, so `1.234` can't be misread.
    public init?(decimal text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.count <= 13,
              whole.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : "00"
        guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if fraction.count == 1 { fraction += "0" }
        guard let w = Int64(whole), let f = Int64(fraction) else { return nil }
        cents = w * 100 + f
    }

    /// The CSV and JSON form: `1234.56`.
    public var decimalString: String {
        let sign = cents < 0 ? "-" : ""
        let a = cents.magnitude
        let f = a % 100
        return "\(sign)\(a / 100).\(f < 10 ? "0" : "")\(f)"
    }

    public var description: String { decimalString }
}
