import Foundation

/// A strict RFC 4180 reader: comma separated, `"` quoting with `""` escapes, CRLF or LF line
/// ends, a header row, and the same number of fields on every row. Rejects what a lenient reader
/// would silently guess at (stray quotes, ragged rows, invalid UTF-8), because a guessed amount
/// is a wrong charge. A leading UTF-8 BOM (as spreadsheets write) is allowed.
public enum CSVReader {
    /// Largest field accepted, in bytes: a guard against garbage, far above any real value.
    public static let maxFieldBytes = 64 * 1024

    public static func parse(_ bytes: [UInt8]) throws(CSVError) -> CSVTable {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        var rows: [CSVTable.Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var i = start, rowStart = 1, quoted = false, wasQuoted = false

        func endField() throws(CSVError) {
            guard let text = String(validating: field, as: UTF8.self) else { throw CSVError(row: rowStart, "not valid UTF-8") }
            fields.append(text)
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
            } else if b == UInt8(ascii: ",") {
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
        return try table(from: rows)
    }

    static func table(from rows: [CSVTable.Record]) throws(CSVError) -> CSVTable {
        guard let header = rows.first else { throw CSVError(row: 1, "the file is empty; expected a header row") }
        for record in rows.dropFirst() where record.fields.count != header.fields.count {
            throw CSVError(row: record.row, "\(record.fields.count) fields, but the header has \(header.fields.count)")
        }
        return CSVTable(header: header.fields.map { $0.trimmingCharacters(in: .whitespaces) }, records: Array(rows.dropFirst()))
    }
}
