/// An amount of money in integer cents. Never floating point: a reminder that says R$ 0,01 too
/// much is an undue charge (CDC art. 42).
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var cents: Int64

    public init(cents: Int64) { self.cents = cents }

    public static func < (a: Money, b: Money) -> Bool { a.cents < b.cents }
    public static let zero = Money(cents: 0)

    /// The largest amount an import or `pay --amount` accepts: R$ 1.000.000.000,00 (10¹¹ cents).
    /// Far above any debt of a small business, and small enough that adding up 92 million such
    /// amounts still fits in Int64 cents, so no total over a customer's debts can overflow.
    /// (Also within the 13 characters of a Pix BR Code's amount field.)
    public static let maxAmount = Money(cents: 100_000_000_000)

    /// The sum of `amounts`, checked: amounts stored by older versions, before `maxAmount`, may
    /// add up to more than Int64 cents hold, and a wrong total must never reach a customer.
    /// There is no `+`, so every sum of money goes through here.
    public static func sum(_ amounts: some Sequence<Money>) throws(MoneyOverflow) -> Money {
        var total: Int64 = 0
        var count = 0
        for amount in amounts {
            let (next, overflow) = total.addingReportingOverflow(amount.cents)
            count += 1
            if overflow { throw MoneyOverflow(count: count) }
            total = next
        }
        return Money(cents: total)
    }

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
