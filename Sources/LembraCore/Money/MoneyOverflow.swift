/// Amounts whose sum does not fit in Int64 cents. Only amounts above `Money.maxAmount`, which
/// imports refuse but older versions stored, can get there: the message or total they were
/// part of is held back rather than sent wrong.
public struct MoneyOverflow: Error, Sendable, Equatable, CustomStringConvertible {
    /// How many amounts had been added when the sum overflowed.
    public var count: Int

    public init(count: Int) { self.count = count }

    public var description: String { "\(count) amounts add up to more than \(Money(cents: .max).decimalString)" }
}
