/// The check an amount typed alone passes (`pay --amount`): read as a spreadsheet cell is
/// (`1234,56`, `1.234,56`, `R$ 1.234,56`, `1234.56`), positive, at most `Money.maxAmount`.
/// `1.500` alone could be either reading, and nothing else settles it, so it is refused.
public enum AmountRule {
    /// A message for the operator, or nil when `v` is a valid amount.
    public static func positive(_ v: String) -> String? { CSVAmount.alone.problem(v) }

    /// The amount in `v`, once `positive` found no problem.
    public static func money(_ v: String) -> Money? { CSVAmount.alone.money(v) }
}
