/// A parsed CSV file: the header and the records, each with the row number a spreadsheet shows
/// (header = row 1, first record = row 2).
public struct CSVTable: Sendable, Equatable {
    public struct Record: Sendable, Equatable {
        public var row: Int
        public var fields: [String]
    }

    public var header: [String]
    public var records: [Record]
    /// `,` or `;`, as the header row showed. A `;` file comes from a spreadsheet in a locale
    /// whose decimal mark is the comma, which settles `1.500` when its amounts do not (`CSVAmount`).
    public var delimiter: Character = ","
    /// What the bytes were read as, for the import's notice when it was not UTF-8.
    public var encoding: CSVEncoding = .utf8
}
