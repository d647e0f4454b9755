/// The check an amount field passes: a positive `1234.56` under a trillion reais.
enum AmountRule {
    static func positive(_ v: String) -> String? {
        guard let m = Money(decimal: v) else { return "not an amount like 1234.56 (a dot for decimals, no thousands separator)" }
        return m.cents > 0 ? nil : "must be more than zero"
    }
}
