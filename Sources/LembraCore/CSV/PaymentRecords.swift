import Foundation

/// Decodes a payments CSV (`debt_id,amount,paid_at`).
public enum PaymentRecords {
    public static let columns = ["debt_id", "amount", "paid_at"]

    public static func decode(_ table: CSVTable, timeZone: TimeZone) throws(CSVImportError) -> [Numbered<Payment>] {
        let cols = try CSVColumns(header: table.header, known: columns, required: columns)
        var errors: [CSVError] = [], result: [Numbered<Payment>] = []
        for r in table.records {
            var check = RowCheck(record: r, columns: cols)
            let debt = check.required("debt_id", CSVFieldRules.id)
            let amount = check.required("amount", AmountRule.positive).flatMap(Money.init(decimal:))
            let paid = check.required("paid_at") { Timestamp.parse($0, timeZone: timeZone) == nil ? "not a date like 2026-11-20 or 2026-11-20T10:30:00-03:00" : nil }
            errors += check.errors
            if check.errors.isEmpty, let debt, let amount, let at = paid.flatMap({ Timestamp.parse($0, timeZone: timeZone) }) {
                result.append(Numbered(row: r.row, value: Payment(debtID: debt, amount: amount, paidAt: at)))
            }
        }
        if !errors.isEmpty { throw CSVImportError(errors) }
        return result
    }
}
