import LembraCore
import Testing

@Suite struct CSVReaderTests {
    func parse(_ text: String) throws -> CSVTable { try CSVReader.parse(Array(text.utf8)) }

    func failure(_ bytes: [UInt8]) -> CSVError? {
        do { _ = try CSVReader.parse(bytes); return nil } catch { return error }
    }
    func failure(_ text: String) -> CSVError? { failure(Array(text.utf8)) }

    @Test func plainFileWithHeader() throws {
        let table = try parse("id,name\nc1,Ana\nc2,Bruno\n")
        #expect(table.header == ["id", "name"])
        #expect(table.records.map(\.fields) == [["c1", "Ana"], ["c2", "Bruno"]])
        #expect(table.records.map(\.row) == [2, 3])
    }

    @Test func quotingWithDoubledQuotesCommasAndNewlines() throws {
        let table = try parse("id,name,note\n1,\"Silva, Ana\",\"she said \"\"oi\"\"\"\n2,\"two\nlines\",\"\"\n3,x,y\n")
        #expect(table.records.map(\.fields) == [
            ["1", "Silva, Ana", "she said \"oi\""],
            ["2", "two\nlines", ""],
            ["3", "x", "y"],
        ])
        // Rows count records, not lines: the record after a two-line field is row 4.
        #expect(table.records.map(\.row) == [2, 3, 4])
    }

    @Test func crlfBomAndTrailingBlankLine() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("id,name\r\nc1,Ana\r\n\"c2\",\"a\r\nb\"\r\n\r\n".utf8)
        let table = try CSVReader.parse(bytes)
        #expect(table.header == ["id", "name"])
        #expect(table.records.map(\.fields) == [["c1", "Ana"], ["c2", "a\r\nb"]])
    }

    @Test func lastLineWithoutNewlineAndEmptyFields() throws {
        let table = try parse("a,b,c\n,,\n1,,3")
        #expect(table.records.map(\.fields) == [["", "", ""], ["1", "", "3"]])
        #expect(try parse("a\n\"\"").records.map(\.fields) == [[""]])
    }

    @Test func headerNamesAreTrimmedValuesAreNot() throws {
        let table = try parse(" id , name\n c1 , Ana \n")
        #expect(table.header == ["id", "name"])
        #expect(table.records[0].fields == [" c1 ", " Ana "])
    }

    @Test func utf8TextSurvives() throws {
        #expect(try parse("name\nJoão Araújo 💳\n").records[0].fields == ["João Araújo 💳"])
    }

    @Test(arguments: [
        ("id,name\nc1,\"Ana\n", 2, "a quoted field is never closed"),
        ("id,name\nc1,Ana\nc2,\"Bruno,x\nc3,y\n", 3, "a quoted field is never closed"),
        ("id,name\nc1,An\"a\n", 2, "a quote inside an unquoted field; quote the whole field and double inner quotes"),
        ("id,name\nc1,Ana\nc2,\"Bru\"no\n", 3, "text after a closing quote"),
        ("id,name\nc1,\"Ana\" \n", 2, "text after a closing quote"),
        ("id,name\nc1,Ana\nc2\n", 3, "1 field, but the header has 2 (fields are separated by ',', as in the header)"),
        ("id,name\nc1,Ana,extra\n", 2, "3 fields, but the header has 2 (fields are separated by ',', as in the header; a value with a comma, such as 1.234,56, must be in quotes)"),
        ("id,name\n\"a\nb\",c\nc2\n", 3, "1 field, but the header has 2 (fields are separated by ',', as in the header)"),
        ("id,name\nc1,Ana\rc2,Bia\n", 2, "a bare carriage return; lines must end in LF or CRLF"),
        ("id,name\nc1,Ana\r", 2, "a bare carriage return; lines must end in LF or CRLF"),
        ("", 1, "the file is empty; expected a header row"),
        ("\n\n", 1, "the file is empty; expected a header row"),
        ("\u{FEFF}", 1, "the file is empty; expected a header row"),
    ])
    func errorsNameTheRow(text: String, row: Int, message: String) {
        #expect(failure(text) == CSVError(row: row, message))
    }

    /// Invalid UTF-8 is read as Windows-1252 (`SpreadsheetCSVTests`); only bytes that mean
    /// nothing in either are refused, naming their row.
    @Test func bytesInNoEncodingNameTheirRow() {
        let bytes = Array("id,name\nc1,Ana\nc2,".utf8) + [0xC3, 0x28, 0x8D] + Array("\n".utf8)
        #expect(failure(bytes)?.row == 3)
        #expect(failure([0xFF, 0x90] + Array("id\n".utf8))?.row == 1)
    }

    @Test func fieldLengthLimit() throws {
        let fits = String(repeating: "x", count: CSVReader.maxFieldBytes)
        #expect(try parse("a\n\(fits)\n").records[0].fields[0].utf8.count == CSVReader.maxFieldBytes)
        #expect(failure("a\nok\n\"\(fits)x\"\n") == CSVError(row: 3, "a field longer than \(CSVReader.maxFieldBytes) bytes"))
    }

    @Test func errorDescriptionNamesRowAndColumn() {
        #expect(CSVError(row: 3, column: "amount", "must be more than zero").description == "3: amount: must be more than zero")
        #expect(CSVError(row: 1, "the file is empty").description == "1: the file is empty")
    }
}
