import Foundation

/// Maps a CSV header to known column names: columns in any order, unknown or repeated columns
/// rejected, required ones checked, so a typo in a header never silently drops data.
public struct CSVColumns: Sendable {
    private var index: [String: Int] = [:]

    public init(header: [String], known: [String], required: [String]) throws(CSVImportError) {
        var errors: [CSVError] = []
        for (i, name) in header.enumerated() {
            if !known.contains(name) {
                errors.append(CSVError(row: 1, column: name, "unknown column; expected some of: \(known.joined(separator: ","))"))
            } else if index[name] != nil {
                errors.append(CSVError(row: 1, column: name, "column appears twice"))
            } else {
                index[name] = i
            }
        }
        for name in required where index[name] == nil { errors.append(CSVError(row: 1, column: name, "required column is missing")) }
        if !errors.isEmpty { throw CSVImportError(errors) }
    }

    /// Whether the file has `column`. An absent optional column means "leave the stored value
    /// alone", unlike a present one with an empty cell, which clears it.
    public func contains(_ column: String) -> Bool { index[column] != nil }

    /// The trimmed value of `column` in `record`; nil when the column is absent or the value empty.
    public func value(_ column: String, in record: CSVTable.Record) -> String? {
        guard let i = index[column] else { return nil }
        let v = record.fields[i].trimmingCharacters(in: .whitespaces)
        return v.isEmpty ? nil : v
    }
}

/// All the problems found in one file; an import with any of them changes nothing.
public struct CSVImportError: Error, Sendable, Equatable {
    public var errors: [CSVError]
    public init(_ errors: [CSVError]) { self.errors = errors }
}
