import Foundation
import LembraCore
import Testing

@Suite struct DebtRecordsTests {
    func decode(_ text: String) throws -> [Numbered<Debt>] {
        try DebtRecords.decode(try CSVReader.parse(Array(text.utf8)), timeZone: Zone.saoPaulo)
    }

    func errors(_ text: String) -> [CSVError] { importErrors(text) { _ = try DebtRecords.decode($0, timeZone: Zone.saoPaulo) } }

    @Test func decodesEveryColumnInAnyOrder() throws {
        let text = "paid_at,payment_url,currency,description,due_date,amount,customer_id,id\n"
            + "2026-11-21T10:30,https://pay.example/d1,USD,\"Mensalidade, novembro\",2026-11-20,1234.56,c1,d1\n"
            + ",,,,2026-12-20,99,c1,d2\n"
        let rows = try decode(text)
        #expect(rows.map(\.row) == [2, 3])
        #expect(rows[0].value == Debt(id: "d1", customerID: "c1", amount: Money(cents: 123_456), dueDate: day("2026-11-20"),
                                      description: "Mensalidade, novembro", currency: "USD", paymentURL: "https://pay.example/d1",
                                      paidAt: instant("2026-11-21T13:30:00Z")))
        #expect(rows[1].value == Debt(id: "d2", customerID: "c1", amount: Money(cents: 9_900), dueDate: day("2026-12-20")))
        #expect(rows[1].value.isOpen && !rows[0].value.isOpen)
    }

    @Test func headerProblemsAreAllOnRowOne() {
        #expect(errors("id,customer,amount,due_date,amount\n") == [
            CSVError(row: 1, column: "customer", "unknown column; expected some of: "
                     + "id,customer_id,amount,due_date,description,currency,payment_url,paid_at"),
            CSVError(row: 1, column: "amount", "column appears twice"),
            CSVError(row: 1, column: "customer_id", "required column is missing"),
        ])
    }

    @Test(arguments: [
        ("id", "", "required, but empty"),
        ("id", "d 1", "ids are 1 to 64 letters, digits, '-', '_', '.' or ':'"),
        ("customer_id", "", "required, but empty"),
        ("customer_id", "c#1", "ids are 1 to 64 letters, digits, '-', '_', '.' or ':'"),
        ("amount", "", "required, but empty"),
                ("amount", "-10.00", "not an amount like 1234,56, 1.234,56, R$ 1.234,56 or 1234.56"),
        ("amount", "1e3", "not an amount like 1234,56, 1.234,56, R$ 1.234,56 or 1234.56"),
        ("amount", "1.2.3", "thousands are grouped by three digits, like 1.234.567,89"),
        ("amount", "0.00", "must be more than zero"),
        ("amount", "1000000000.01", "at most 1000000000.00 (one billion) per amount"),
        ("amount", "9999999999999.99", "at most 1000000000.00 (one billion) per amount"),
        ("due_date", "", "required, but empty"),
        ("due_date", "20-11-2026", "not a date like 20/11/2026 or 2026-11-20"),
        ("due_date", "2026-02-29", "2026-02-29 is not a date: February 2026 has 28 days"),
        ("description", "=HYPERLINK(\"\"http://evil\"\")", "starts with '=', which spreadsheets run as a formula"),
        ("description", "linha 1\nlinha 2", "contains control characters (line breaks, tabs or NUL)"),
        ("currency", "brl", "a currency is three capital letters, like BRL"),
        ("currency", "REAL", "a currency is three capital letters, like BRL"),
        ("payment_url", "pay.example/d1", "a payment link starts with https://"),
        ("payment_url", "javascript:alert(1)", "a payment link starts with https://"),
        ("paid_at", "ontem", "not a date like 20/11/2026 or 2026-11-20"),
        ("paid_at", "2026-11-20T25:00", "not a date and time like 20/11/2026, 20/11/2026 10:30 or 2026-11-20T10:30:00-03:00"),
    ])
    func fieldRulesNameRowAndColumn(column: String, value: String, message: String) {
        var fields = ["id": "d1", "customer_id": "c1", "amount": "10.00", "due_date": "2026-11-20",
                      "description": "", "currency": "", "payment_url": "", "paid_at": ""]
        fields[column] = value
        let cols = DebtRecords.columns
        let text = cols.joined(separator: ",") + "\nd0,c1,1,2026-11-01,,,,\n" + cols.map { "\"\(fields[$0]!)\"" }.joined(separator: ",") + "\n"
        #expect(errors(text) == [CSVError(row: 3, column: column, message)])
    }

    @Test func repeatedIdsAndEveryErrorAtOnce() {
        let text = "id,customer_id,amount,due_date\nd1,c1,10,2026-11-20\nd2,c1,0,2026-11-31\nd1,c2,10,2026-11-20\n"
        #expect(errors(text) == [
            CSVError(row: 3, column: "amount", "must be more than zero"),
            CSVError(row: 3, column: "due_date", "2026-11-31 is not a date: November 2026 has 30 days"),
            CSVError(row: 4, column: "id", "id repeats row 2"),
        ])
    }

    @Test func paymentsNeedEveryColumn() throws {
        let text = "paid_at,amount,debt_id\n2026-11-21T10:30:00-03:00,10.5,d1\n"
        let rows = try PaymentRecords.decode(try CSVReader.parse(Array(text.utf8)), timeZone: Zone.saoPaulo)
        #expect(rows.map(\.value) == [Payment(debtID: "d1", amount: Money(cents: 1_050), paidAt: instant("2026-11-21T13:30:00Z"))])
        #expect(importErrors("debt_id,amount,paid_at\nd1,0,\n") { _ = try PaymentRecords.decode($0, timeZone: Zone.saoPaulo) } == [
            CSVError(row: 2, column: "amount", "must be more than zero"),
            CSVError(row: 2, column: "paid_at", "required, but empty"),
        ])
    }
}
