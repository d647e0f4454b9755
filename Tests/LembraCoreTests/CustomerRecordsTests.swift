import LembraCore
import Testing

func customerErrors(_ text: String) -> [CSVError] { importErrors(text) { _ = try CustomerRecords.decode($0) } }

@Suite struct CustomerRecordsTests {
    @Test func decodesEveryColumnInAnyOrder() throws {
        let text = "locale,timezone,document,phone,email,name,id\n"
            + "pt_BR,America/Manaus,529.982.247-25,+55 11 91234-5678,ana@exemplo.com.br,Ana Souza,c-1\n"
            + ",,,,bia@exemplo.com,\"Souza, Bia\",c.2\n"
        let rows = try CustomerRecords.decode(try CSVReader.parse(Array(text.utf8)))
        #expect(rows.map(\.row) == [2, 3])
        #expect(rows[0].value == Customer(id: "c-1", name: "Ana Souza", email: "ana@exemplo.com.br", phone: "+55 11 91234-5678",
                                          document: "529.982.247-25", timezone: "America/Manaus", locale: .ptBR))
        #expect(rows[1].value == Customer(id: "c.2", name: "Souza, Bia", email: "bia@exemplo.com"))
    }

    /// Alphanumeric CNPJs (from July 2026) import like numeric ones, in either case, kept as written.
    @Test func documentsMayBeAlphanumericCNPJs() throws {
        let text = "id,name,email,document\nc1,Padaria,p@exemplo.com,12.ABC.345/01DE-35\nc2,Oficina,o@exemplo.com,12abc34501de35\n"
        let rows = try CustomerRecords.decode(try CSVReader.parse(Array(text.utf8)))
        #expect(rows.map(\.value.document) == ["12.ABC.345/01DE-35", "12abc34501de35"])
    }

    @Test func onlyIdAndNameColumnsAreRequired() throws {
        let rows = try CustomerRecords.decode(try CSVReader.parse(Array("id,name,phone\nc1,  Ana  ,11 91234 5678\n".utf8)))
        #expect(rows.map(\.value) == [Customer(id: "c1", name: "Ana", phone: "11 91234 5678")])
    }

    @Test func headerProblemsAreAllOnRowOne() {
        #expect(customerErrors("id,nome,email,email\nc1,Ana,a@b.co,a@b.co\n") == [
            CSVError(row: 1, column: "nome", "unknown column; expected some of: id,name,email,phone,document,timezone,locale"),
            CSVError(row: 1, column: "email", "column appears twice"),
            CSVError(row: 1, column: "name", "required column is missing"),
        ])
        #expect(customerErrors("email\na@b.co\n") == [
            CSVError(row: 1, column: "id", "required column is missing"),
            CSVError(row: 1, column: "name", "required column is missing"),
        ])
    }

    @Test(arguments: [
        ("id", "", "required, but empty"),
        ("id", "c 1", "ids are 1 to 64 letters, digits, '-', '_', '.' or ':'"),
        ("id", "cliente/1", "ids are 1 to 64 letters, digits, '-', '_', '.' or ':'"),
        ("id", "joão", "ids are 1 to 64 letters, digits, '-', '_', '.' or ':'"),
        ("id", String(repeating: "x", count: 65), "ids are 1 to 64 letters, digits, '-', '_', '.' or ':'"),
        ("name", "", "required, but empty"),
        ("name", "=cmd|' /C calc'!A0", "starts with '=', which spreadsheets run as a formula"),
        ("name", "+SUM(1,2)", "starts with '+', which spreadsheets run as a formula"),
        ("name", "@SUM(A1)", "starts with '@', which spreadsheets run as a formula"),
        ("name", "-2+3", "starts with '-', which spreadsheets run as a formula"),
        ("name", "Ana\nSouza", "contains control characters (line breaks, tabs or NUL)"),
        ("name", "Ana\rSouza", "contains control characters (line breaks, tabs or NUL)"),
        ("name", "Ana\u{0}Souza", "contains control characters (line breaks, tabs or NUL)"),
        ("name", "Ana\tSouza", "contains control characters (line breaks, tabs or NUL)"),
        ("email", "ana", "not an e-mail address: no at sign"),
        ("email", "ana@exemplo", "not an e-mail address: domain without a dot; expected one like exemplo.com.br"),
        ("email", "a@b@c.com", "not an e-mail address: more than one at sign"),
        ("email", "ana souza@x.com", "not an e-mail address: a space is not allowed before the at sign"),
        ("email", "<ana@x.com>", "not an e-mail address: '<' is not allowed before the at sign"),
        ("email", "joão@x.com", "not an e-mail address: has a character outside plain ASCII (mail goes out without SMTPUTF8; "
            + "write an accented domain in its xn-- form)"),
        ("email", "a@b.", "not an e-mail address: empty domain label (a dot at the start or end of the domain, or two in a row)"),
        ("email", "a@.com", "not an e-mail address: empty domain label (a dot at the start or end of the domain, or two in a row)"),
        ("email", "ana@-x.com", "not an e-mail address: domain label starting or ending with a hyphen"),
        ("email", "ana@x.com\r\nBcc: all@x.com", "contains control characters (line breaks, tabs or NUL)"),
        ("phone", "123", "not a phone number with area code, like (11) 98765-4321 or +55 11 98765-4321"),
        ("phone", "11 9123x-5678", "not a phone number with area code, like (11) 98765-4321 or +55 11 98765-4321"),
        ("phone", "+55 11 91234-5678 0000000", "not a phone number with area code, like (11) 98765-4321 or +55 11 98765-4321"),
        ("phone", "١١٩١٢٣٤٥٦٧٨", "not a phone number with area code, like (11) 98765-4321 or +55 11 98765-4321"),
        ("document", "111.111.111-11", "CPF check digits do not match"),
        ("document", "12.ABC.345/01DE-53", "CNPJ check digits do not match"),
        ("timezone", "America/Sao Paulo", "unknown time zone; use an IANA name like America/Sao_Paulo"),
        ("timezone", "Mars/Olympus", "unknown time zone; use an IANA name like America/Sao_Paulo"),
        ("locale", "fr", "unknown locale; use pt-BR or en"),
    ])
    func fieldRulesNameRowAndColumn(column: String, value: String, message: String) {
        var fields = ["id": "c1", "name": "Ana", "email": "ana@exemplo.com", "phone": "", "document": "", "timezone": "", "locale": ""]
        fields[column] = value
        let cols = CustomerRecords.columns
        let text = cols.joined(separator: ",") + "\nc0,Zé,ze@x.com,,,,\n" + cols.map { "\"\(fields[$0]!)\"" }.joined(separator: ",") + "\n"
        #expect(customerErrors(text) == [CSVError(row: 3, column: column, message)])
    }

    @Test func needsAnEmailOrAPhone() {
        #expect(customerErrors("id,name,email,phone\nc1,Ana,,\n") == [CSVError(row: 2, column: "email", "needs an email or a phone")])
    }

    @Test func repeatedIdsNameTheFirstRow() {
        #expect(customerErrors("id,name,email\nc1,Ana,a@x.com\nc2,Bia,b@x.com\nc1,Ana,a@x.com\n") == [
            CSVError(row: 4, column: "id", "id repeats row 2"),
        ])
    }

    @Test func everyErrorOfTheFileAtOnce() {
        let text = "id,name,email,phone\nc1,=1+1,nope,\nc2,Bia,b@x.com,\nc 3,,,12\n"
        #expect(customerErrors(text) == [
            CSVError(row: 2, column: "name", "starts with '=', which spreadsheets run as a formula"),
            CSVError(row: 2, column: "email", "not an e-mail address: no at sign"),
            CSVError(row: 4, column: "id", "ids are 1 to 64 letters, digits, '-', '_', '.' or ':'"),
            CSVError(row: 4, column: "name", "required, but empty"),
            CSVError(row: 4, column: "phone", "not a phone number with area code, like (11) 98765-4321 or +55 11 98765-4321"),
        ])
    }

    @Test(arguments: ["Ana Souza", "-", "-5", "O'Brien", "Maria-José", "Ação & Cia. Ltda."])
    func ordinaryNamesPass(name: String) {
        #expect(customerErrors("id,name,email\nc1,\(name),a@x.com\n").isEmpty)
    }
}
