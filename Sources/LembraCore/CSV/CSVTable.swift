/// A parsed CSV file: the header and the records, each with the row number a spreadsheet shows
/// (header = row 1, first record = row 2).
public struct CSVTable: Sendable, Equatable {
    public struct Record: Sendable, Equatable {
        public var row: Int
        public var fields: [String]
    }

    public var header: [String]
    public var records: [Record]
}
