import Foundation
import LembraCore
import Testing

/// Amounts as spreadsheets write them, in integer cents, and the ones with two readings refused.
@Suite struct SpreadsheetAmountTests {
    /// A debts file with `amounts` in its amount column, separated by `delimiter`.
    func file(_ delimiter: String, _ amounts: [String]) -> String {
        let quote = { (v: String) in v.contains(delimiter) ? "\"\(v)\"" : v }
        return "id\(delimiter)customer_id\(delimiter)amount\(delimiter)due_date\n"
            + amounts.enumerated().map { "d\($0)\(delimiter)c1\(delimiter)\(quote($1))\(delimiter)2026-11-20\n" }.joined()
    }

    func cents(_ delimiter: String, _ amounts: [String]) throws -> [Int64] {
        try DebtRecords.decode(try CSVReader.parse(Array(file(delimiter, amounts).utf8)), timeZone: Zone.saoPaulo).map(\.value.amount.cents)
    }

    func errors(_ delimiter: String, _ amounts: [String]) -> [CSVError] {
        importErrors(file(delimiter, amounts)) { _ = try DebtRecords.decode($0, timeZone: Zone.saoPaulo) }
    }

    @Test(arguments: [",", ";"])
    func unambiguousAmountsReadTheSameInEitherKindOfFile(delimiter: String) throws {
        let values = ["1234.56", "1234,56", "1.234,56", "1,234.56", "R$ 1.234,56", "R$1.234,56", "R$\u{00A0}1.234,56", "R$\u{202F}1.234,56",
                      " R$ 1.234,56 ", "1234", "1234,5", "0,05", "1.234.567,80", "1,234,567.80", "1.234.567", "1000000000,00"]
        #expect(try cents(delimiter, values) == [123_456, 123_456, 123_456, 123_456, 123_456, 123_456, 123_456, 123_456,
                                                 123_456, 123_400, 123_450, 5, 123_456_780, 123_456_780, 123_456_700, 100_000_000_000])
    }

    /// `1.500` is 1500 where the file's amounts write decimals with a comma (or, showing none,
    /// it is separated by `;`), and 1,5 with three decimals (refused) where they use a dot.
    @Test func theFileSettlesAThreeDigitGroup() throws {
        #expect(try cents(";", ["1.500"]) == [150_000])
        #expect(try cents(";", ["1.500", "189,90"]) == [150_000, 18_990])
        #expect(try cents(",", ["1.500", "189,90"]) == [150_000, 18_990])
        #expect(try cents(",", ["1,500", "189.90"]) == [150_000, 18_990])
        #expect(errors(";", ["1.500", "189.90"]) == [CSVError(row: 2, column: "amount", "at most two decimals (cents)")])
        #expect(errors(";", ["1,500"]) == [CSVError(row: 2, column: "amount", "at most two decimals (cents)")])
    }

    @Test func aThreeDigitGroupTheFileCannotSettleIsAmbiguous() {
        #expect(errors(",", ["1.234"]) == [CSVError(row: 2, column: "amount",
            "ambiguous: 1.234 is either 1234 (if '.' separates thousands) or 1 and 234 thousandths (if '.' is the decimal mark), "
            + "and the file's other amounts show no decimal mark; write 1234 or 1234.00 to mean 1234")])
        #expect(errors(",", ["12,345", "10"]) == [CSVError(row: 2, column: "amount",
            "ambiguous: 12,345 is either 12345 (if ',' separates thousands) or 12 and 345 thousandths (if ',' is the decimal mark), "
            + "and the file's other amounts show no decimal mark; write 12345 or 12345.00 to mean 12345")])
        #expect(errors(";", ["1.500", "189,90", "99.99"]) == [CSVError(row: 2, column: "amount",
            "ambiguous: 1.500 is either 1500 (if '.' separates thousands) or 1 and 500 thousandths (if '.' is the decimal mark), "
            + "and the file's other amounts use both marks; write 1500 or 1500.00 to mean 1500")])
    }

    @Test(arguments: [
        ("-10,00", "not an amount like 1234,56, 1.234,56, R$ 1.234,56 or 1234.56"),
        ("(10,00)", "not an amount like 1234,56, 1.234,56, R$ 1.234,56 or 1234.56"),
        ("US$ 10", "not an amount like 1234,56, 1.234,56, R$ 1.234,56 or 1234.56"),
        ("1e3", "not an amount like 1234,56, 1.234,56, R$ 1.234,56 or 1234.56"),
        ("10,", "not an amount like 1234,56, 1.234,56, R$ 1.234,56 or 1234.56"),
        (",50", "not an amount like 1234,56, 1.234,56, R$ 1.234,56 or 1234.56"),
        ("R$", "not an amount like 1234,56, 1.234,56, R$ 1.234,56 or 1234.56"),
        ("1.2345", "at most two decimals (cents)"),
        ("1.234,567", "at most two decimals (cents)"),
        ("12.34.567,00", "thousands are grouped by three digits, like 1.234.567,89"),
        ("1234.567,00", "thousands are grouped by three digits, like 1.234.567,89"),
        ("1.234,56,78", "thousands are grouped by three digits, like 1.234.567,89"),
        ("0,00", "must be more than zero"),
        ("R$ 1.000.000.000,01", "at most 1000000000.00 (one billion) per amount"),
        ("99999999999999", "at most 1000000000.00 (one billion) per amount"),
    ])
    func badAmountsNameRowAndColumn(value: String, message: String) {
        #expect(errors(";", ["10,00", value]) == [CSVError(row: 3, column: "amount", message)])
    }

    /// Payments read amounts by the same rule.
    @Test func paymentsToo() throws {
        let rows = try PaymentRecords.decode(try CSVReader.parse(Array("debt_id;amount;paid_at\nd1;R$ 1.234,56;18/11/2026 14:30:00\n".utf8)),
                                             timeZone: Zone.saoPaulo)
        #expect(rows.map(\.value) == [Payment(debtID: "d1", amount: Money(cents: 123_456), paidAt: instant("2026-11-18T14:30:00"))])
    }
}
