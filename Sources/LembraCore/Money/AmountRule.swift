/// The check an amount field passes (CSV `amount`, `pay --amount`): a positive `1234.56`, at most
/// `Money.maxAmount`.
public enum AmountRule {
    /// A message for the operator, or nil when `v` is a valid amount.
    public static func positive(_ v: String) -> String? {
        guard let m = Money(decimal: v) else { return "not an amount like 1234.56 (a dot for decimals, no thousands separator)" }
        guard m.cents > 0 else { return "must be more than zero" }
        return m <= Money.maxAmount ? nil : "at most \(Money.maxAmount.decimalString) (one billion) per amount"
    }
}
