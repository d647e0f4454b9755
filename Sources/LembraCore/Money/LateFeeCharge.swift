/// An open amount with the fine and interest `LateFees` add to it on one day. The parts add up:
/// `amountDueToday` is exactly `open + fine + interest`.
public struct LateFeeCharge: Sendable, Equatable {
    /// The amount still owed, before fees (the debt's amount less what was paid).
    public let open: Money
    public let fine: Money
    public let interest: Money
    public let amountDueToday: Money

    /// Nothing added: before the due date, within the grace, or with late fees off.
    public init(open: Money) { self.open = open; fine = .zero; interest = .zero; amountDueToday = open }

    /// Throws when the three do not add up within Int64 cents.
    public init(open: Money, fine: Money, interest: Money) throws(MoneyOverflow) {
        self.open = open; self.fine = fine; self.interest = interest
        amountDueToday = try Money.sum([open, fine, interest])
    }

    /// Whether anything was added (a fine or interest of at least a centavo).
    public var hasFees: Bool { fine.cents > 0 || interest.cents > 0 }
}
