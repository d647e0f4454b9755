extension PlannedMessage {
    /// What the message asks for: the sum of its debts. Throws when that does not fit in Int64
    /// cents, which only amounts above `Money.maxAmount` (stored by an older version) can cause.
    public func total() throws(MoneyOverflow) -> Money {
        try Money.sum(items.lazy.map(\.debt.amount))
    }
}
