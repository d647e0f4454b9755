import Foundation

/// A strict RFC 4180 reader: `"` quoting with `""` escapes, CRLF or LF line ends, a header row,
/// and the same number of fields on every row. Rejects what a lenient reader would silently
/// guess at (stray quotes, ragged rows), because a guessed amount is a wrong charge.
///
/// What spreadsheets really write is read as such: fields separated by `,` or by `;` (Excel and
/// LibreOffice in pt-BR), told by the header row, whose column names contain neither; a leading
/// UTF-8 BOM; and Windows-1252 when the file is not valid UTF-8 (`CSVEncoding`).
public enum CSVReader {
    /// Largest field accepted, in bytes: a guard against garbage, far above any real value.
    public static let maxFieldBytes = 64 * 1024

    public static func parse(_ raw: [UInt8]) throws(CSVError) -> CSVTable {
        let (bytes, encoding) = try CSVEncoding.decode(raw)
        let delimiter = try self.delimiter(bytes)
        var rows: [CSVTable.Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var i = 0, rowStart = 1, quoted = false, wasQuoted = false

        func endField() throws(CSVError) {
            fields.append(String(decoding: field, as: UTF8.self)) // valid: `CSVEncoding.decode` checked or made it
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRecord() throws(CSVError) {
            let blankLine = fields.isEmpty && field.isEmpty && !wasQuoted
            try endField()
            if !blankLine { rows.append(.init(row: rowStart, fields: fields)) }
            fields.removeAll()
        }

        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") { field.append(b); i += 1 }
                    else { quoted = false }
                } else {
                    field.append(b)
                }
            } else if b == UInt8(ascii: "\"") {
                guard field.isEmpty && !wasQuoted else { throw CSVError(row: rowStart, "a quote inside an unquoted field; quote the whole field and double inner quotes") }
                quoted = true; wasQuoted = true
            } else if b == delimiter {
                try endField()
            } else if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                if b == UInt8(ascii: "\r") {
                    guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") else { throw CSVError(row: rowStart, "a bare carriage return; lines must end in LF or CRLF") }
                    i += 1
                }
                try endRecord()
                rowStart = rows.count + 1
            } else {
                guard !wasQuoted else { throw CSVError(row: rowStart, "text after a closing quote") }
                field.append(b)
            }
            guard field.count <= maxFieldBytes else { throw CSVError(row: rowStart, "a field longer than \(maxFieldBytes) bytes") }
            i += 1
        }
        if quoted { throw CSVError(row: rowStart, "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { try endRecord() }
        return try table(from: rows, delimiter: delimiter, encoding: encoding)
    }

    /// The field separator, `,` or `;`, whichever the header row (the first line that is not
    /// blank) has outside quotes. A header with neither is one column, read with `,`; one with
    /// both is refused, since no column name contains either.
    static func delimiter(_ bytes: [UInt8]) throws(CSVError) -> UInt8 {
        let comma = UInt8(ascii: ","), semicolon = UInt8(ascii: ";")
        var seen: Set<UInt8> = [], quoted = false
        for b in bytes.drop(while: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
            if b == UInt8(ascii: "\"") { quoted.toggle() }
            else if !quoted && (b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r")) { break }
            else if !quoted && (b == comma || b == semicolon) { seen.insert(b) }
        }
        guard seen.count < 2 else { throw CSVError(row: 1, "the header row has both ',' and ';'; separate the columns with one of them") }
        return seen.first ?? comma
    }

    static func table(from rows: [CSVTable.Record], delimiter: UInt8, encoding: CSVEncoding) throws(CSVError) -> CSVTable {
        guard let header = rows.first else { throw CSVError(row: 1, "the file is empty; expected a header row") }
        for record in rows.dropFirst() where record.fields.count != header.fields.count {
            throw CSVError(row: record.row, mismatch(record.fields.count, header.fields.count, delimiter: delimiter))
        }
        return CSVTable(header: header.fields.map { $0.trimmingCharacters(in: .whitespaces) }, records: Array(rows.dropFirst()),
                        delimiter: Character(Unicode.Scalar(delimiter)), encoding: encoding)
    }

    /// Says which separator the header set, and, for a comma-separated row with a field too
    /// many, the likely cause: a decimal comma left unquoted.
    static func mismatch(_ count: Int, _ expected: Int, delimiter: UInt8) -> String {
        let sep = Character(Unicode.Scalar(delimiter))
        let hint = sep == "," && count > expected ? "; a value with a comma, such as 1.234,56, must be in quotes" : ""
        return "\(count) field\(count == 1 ? "" : "s"), but the header has \(expected) (fields are separated by '\(sep)', as in the header\(hint))"
    }
}
