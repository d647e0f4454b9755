/// Collects the problems of one CSV row while its fields are read, so an import reports every
/// bad field at once instead of one per attempt.
struct RowCheck {
    let record: CSVTable.Record
    let columns: CSVColumns
    private(set) var errors: [CSVError] = []

    init(record: CSVTable.Record, columns: CSVColumns) { self.record = record; self.columns = columns }

    mutating func fail(_ column: String?, _ message: String) {
        errors.append(CSVError(row: record.row, column: column, message))
    }

    /// The field, checked for control characters and then by `rule` (returning a problem or nil).
    mutating func optional(_ column: String, _ rule: (String) -> String? = { _ in nil }) -> String? {
        guard let v = columns.value(column, in: record) else { return nil }
        if let problem = CSVFieldRules.controlCharacters(v) ?? rule(v) { fail(column, problem); return nil }
        return v
    }

    mutating func required(_ column: String, _ rule: (String) -> String? = { _ in nil }) -> String? {
        guard columns.value(column, in: record) != nil else { fail(column, "required, but empty"); return nil }
        return optional(column, rule)
    }
}
