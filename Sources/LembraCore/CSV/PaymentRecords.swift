import Foundation

/// Decodes a payments CSV (`debt_id,amount,paid_at,reference`; `reference` optional). A
/// reference names one payment, so it may appear once per debt in a file (one transfer may pay
/// several debts).
public enum PaymentRecords {
    public static let columns = ["debt_id", "amount", "paid_at", "reference"]

    /// Longest reference accepted: transaction ids are far shorter (a Pix E2E id has 32 characters).
    public static let maxReferenceLength = 128

    /// Amounts and dates are read as spreadsheets write them (`CSVAmount`, `CSVDate`).
    public static func decode(_ table: CSVTable, timeZone: TimeZone) throws(CSVImportError) -> [Numbered<Payment>] {
        let cols = try CSVColumns(header: table.header, known: columns, required: ["debt_id", "amount", "paid_at"])
        var errors: [CSVError] = [], result: [Numbered<Payment>] = [], seen: [String: Int] = [:]
        let amounts = CSVAmount(table, columns: cols)
        for r in table.records {
            var check = RowCheck(record: r, columns: cols)
            let debt = check.required("debt_id", CSVFieldRules.id)
            let amount = check.required("amount", amounts.problem).flatMap(amounts.money)
            let paid = check.required("paid_at") { CSVDate.instantProblem($0, timeZone: timeZone) }.flatMap { CSVDate.instant($0, timeZone: timeZone) }
            let reference = check.optional("reference") { v in
                v.count > maxReferenceLength ? "a reference is at most \(maxReferenceLength) characters" : CSVFieldRules.formula(v)
            }
            if let debt, let reference {
                let key = debt + "\u{0}" + reference
                if let first = seen[key] { check.fail("reference", "repeats row \(first) for the same debt; a reference names one payment") }
                else { seen[key] = r.row }
            }
            errors += check.errors
            if check.errors.isEmpty, let debt, let amount, let at = paid {
                result.append(Numbered(row: r.row, value: Payment(debtID: debt, amount: amount, paidAt: at, reference: reference)))
            }
        }
        if !errors.isEmpty { throw CSVImportError(errors) }
        return result
    }
}
