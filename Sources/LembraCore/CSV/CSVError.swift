/// A problem in a CSV file, pointing at the row (as a spreadsheet numbers it) and the column.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    public var row: Int
    public var column: String?
    public var message: String

    public init(row: Int, column: String? = nil, _ message: String) {
        self.row = row; self.column = column; self.message = message
    }

    /// `ROW: column: message`, to be prefixed with the file name.
    public var description: String { column.map { "\(row): \($0): \(message)" } ?? "\(row): \(message)" }
}
