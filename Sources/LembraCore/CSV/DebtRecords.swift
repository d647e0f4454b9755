import Foundation

/// Decodes a debts CSV (`id,customer_id,amount,due_date,description,currency,payment_url,paid_at`).
public enum DebtRecords {
    public static let columns = ["id", "customer_id", "amount", "due_date", "description", "currency", "payment_url", "paid_at"]

    /// `timeZone` reads `paid_at` values written without an offset. Amounts and dates are read
    /// as spreadsheets write them (`CSVAmount`, `CSVDate`).
    public static func decode(_ table: CSVTable, timeZone: TimeZone) throws(CSVImportError) -> [Numbered<Debt>] {
        let cols = try CSVColumns(header: table.header, known: columns, required: ["id", "customer_id", "amount", "due_date"])
        var errors: [CSVError] = [], result: [Numbered<Debt>] = [], seen: [String: Int] = [:]
        let amounts = CSVAmount(table, columns: cols)
        for r in table.records {
            var check = RowCheck(record: r, columns: cols)
            let id = check.required("id", CSVFieldRules.id)
            let customer = check.required("customer_id", CSVFieldRules.id)
            let amount = check.required("amount", amounts.problem).flatMap(amounts.money)
            let due = check.required("due_date", CSVDate.dayProblem).flatMap(CSVDate.day)
            let description = check.optional("description", CSVFieldRules.formula) ?? ""
            let currency = check.optional("currency") { $0.count == 3 && $0.allSatisfy(\.isUppercase) ? nil : "a currency is three capital letters, like BRL" } ?? "BRL"
            let url = check.optional("payment_url") { $0.hasPrefix("https://") || $0.hasPrefix("http://") ? nil : "a payment link starts with https://" }
            let paid = check.optional("paid_at") { CSVDate.instantProblem($0, timeZone: timeZone) }
            if let id, let first = seen[id] { check.fail("id", "id repeats row \(first)") }
            if let id { seen[id] = r.row }
            errors += check.errors
            if check.errors.isEmpty, let id, let customer, let amount, let due {
                result.append(Numbered(row: r.row, value: Debt(id: id, customerID: customer, amount: amount, dueDate: due, description: description,
                                   currency: currency, paymentURL: url, paidAt: paid.flatMap { CSVDate.instant($0, timeZone: timeZone) })))
            }
        }
        if !errors.isEmpty { throw CSVImportError(errors) }
        return result
    }
}
