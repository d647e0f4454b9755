/// One row of a result, as text (libpq's text format) by column name; nil for SQL NULL.
public struct PostgresRow: Sendable {
    let values: [String: String?]

    public subscript(_ column: String) -> String? {
        guard let value = values[column] else { preconditionFailure("no column \(column) in the result") }
        return value
    }
}
