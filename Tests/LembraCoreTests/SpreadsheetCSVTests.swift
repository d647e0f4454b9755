import Foundation
import LembraCore
import Testing

/// CSV files as Brazilian spreadsheets write them: `;` between fields, Windows-1252, BOM, CRLF.
@Suite struct SpreadsheetCSVTests {
    func failure(_ bytes: [UInt8]) -> CSVError? {
        do { _ = try CSVReader.parse(bytes); return nil } catch { return error }
    }

    @Test func theHeaderRowSetsTheDelimiter() throws {
        let semicolon = try CSVReader.parse(Array("id;name;email\r\nc1;\"Souza; Ana\";a@b.co\r\nc2;Bia, a prima;\r\n".utf8))
        #expect(semicolon.header == ["id", "name", "email"])
        #expect(semicolon.records.map(\.fields) == [["c1", "Souza; Ana", "a@b.co"], ["c2", "Bia, a prima", ""]])
        #expect(semicolon.delimiter == ";")
        let comma = try CSVReader.parse(Array("\u{FEFF}id,name\nc1,Ana; Bia\n".utf8))
        #expect(comma.records.map(\.fields) == [["c1", "Ana; Bia"]])
        #expect(comma.delimiter == ",")
        // A quoted `;` in the header does not count; a header with one column reads as before.
        #expect(try CSVReader.parse(Array("\"id;x\",name\n1,2\n".utf8)).header == ["id;x", "name"])
        #expect(try CSVReader.parse(Array("id\nc1\n".utf8)).records.map(\.fields) == [["c1"]])
    }

    /// The old reader split `;` files on commas only: a header of one column and a row of two
    /// fields wherever a value had a comma ("2 fields, but the header has 1").
    @Test func aSemicolonFileWithDecimalCommasIsNotReadAsOneColumn() throws {
        let table = try CSVReader.parse(Array("id;customer_id;amount;due_date\nd1;c1;1.234,56;17/11/2026\n".utf8))
        #expect(table.header == ["id", "customer_id", "amount", "due_date"])
        #expect(table.records[0].fields == ["d1", "c1", "1.234,56", "17/11/2026"])
    }

    @Test(arguments: [
        ("id;name\nc1;Ana;extra\n", 2, "3 fields, but the header has 2 (fields are separated by ';', as in the header)"),
        ("id;name\nc1\n", 2, "1 field, but the header has 2 (fields are separated by ';', as in the header)"),
        ("id;name\nc1,Ana\n", 2, "1 field, but the header has 2 (fields are separated by ';', as in the header)"),
        ("id,amount\nd1,1234,56\n", 2,
         "3 fields, but the header has 2 (fields are separated by ',', as in the header; a value with a comma, such as 1.234,56, must be in quotes)"),
        ("id;name,email\nc1;Ana,a@b.co\n", 1, "the header row has both ',' and ';'; separate the columns with one of them"),
    ])
    func inconsistentRowsSayWhichSeparatorTheHeaderSet(text: String, row: Int, message: String) {
        #expect(failure(Array(text.utf8)) == CSVError(row: row, message))
    }

    /// `João;Conceição` as pt-BR Excel and LibreOffice save it by default: not UTF-8.
    @Test func windows1252IsDecodedAndSaidSo() throws {
        let bytes: [UInt8] = Array("id;name;note\n".utf8) + [0x63, 0x31, 0x3B, 0x4A, 0x6F, 0xE3, 0x6F, 0x20, 0x64, 0x61, 0x20, 0x43, 0x6F, 0x6E, 0x63,
                                                              0x65, 0x69, 0xE7, 0xE3, 0x6F, 0x3B, 0x80, 0x20, 0x35, 0x2C, 0x30, 0x30, 0x20, 0x96, 0x20, 0x93, 0x6F, 0x6B, 0x94, 0x0A]
        let table = try CSVReader.parse(bytes)
        #expect(table.encoding == .windows1252)
        #expect(table.records[0].fields == ["c1", "João da Conceição", "€ 5,00 – “ok”"])
        #expect(CSVEncoding.windows1252.notice?.contains("Windows-1252") == true)
        #expect(try CSVReader.parse(Array("id;name\nc1;João\n".utf8)).encoding == .utf8)
        #expect(CSVEncoding.utf8.notice == nil)
    }

    @Test func bytesUndefinedInBothEncodingsNameTheirRow() {
        #expect(failure(Array("id,name\nc1,Ana\nc2,".utf8) + [0xC3, 0x81, 0x81] + Array("\n".utf8))
                == CSVError(row: 3, "neither UTF-8 nor Windows-1252 (byte 0x81 means nothing in either); save the file as \"CSV UTF-8\""))
    }
}
