/// The columns one kind of query selects, named once: the `SELECT` list is written from the
/// cases, in their order, so a decoder reads a row by name (`row[DebtColumn.dueDate.position]`)
/// at the cost of reading it by position, and the list and the decoder cannot drift apart.
/// (Looking a name up in a GRDB row is a case-insensitive search per field, which showed in the
/// tick's profile; positions written by hand, `row[20]`, had to be kept in step with the list by
/// eye.)
protocol ColumnList: CaseIterable, RawRepresentable where RawValue == Int {
    /// What the query selects for this column: by default the case's name in snake case
    /// (`dueDate` → `due_date`).
    var expression: String { get }
    /// The columns the same row holds before these (another list's count): 0 by default.
    static var offset: Int { get }
}

extension ColumnList {
    var expression: String { Self.snakeCase("\(self)") }
    static var offset: Int { 0 }

    /// Where the column sits in a row selected with `selectList`.
    var position: Int { Self.offset + rawValue }

    /// The columns, in their order, for a `SELECT`.
    static var selectList: String { allCases.map(\.expression).joined(separator: ", ") }

    /// `customerID` → `customer_id`: a capital starts a new word, and a run of capitals (`ID`)
    /// is one word.
    static func snakeCase(_ name: String) -> String {
        var out = ""
        var previousUpper = true
        for ch in name {
            if ch.isUppercase && !previousUpper { out += "_" }
            previousUpper = ch.isUppercase
            out += ch.lowercased()
        }
        return out
    }
}
