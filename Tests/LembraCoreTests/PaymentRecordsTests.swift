import Foundation
import LembraCore
import Testing

/// The optional `reference` column of a payments file: the transaction id that names one payment.
@Suite struct PaymentRecordsTests {
    func decode(_ text: String) throws -> [Numbered<Payment>] {
        try PaymentRecords.decode(try CSVReader.parse(Array(text.utf8)), timeZone: Zone.saoPaulo)
    }

    func errors(_ text: String) -> [CSVError] { importErrors(text) { _ = try PaymentRecords.decode($0, timeZone: Zone.saoPaulo) } }

    @Test func aReferenceIsReadAndAnEmptyOneIsNone() throws {
        let rows = try decode("debt_id,amount,paid_at,reference\nd1,100.00,2026-11-16,E00038166202611161234a1b2c3d4e5f\nd1,100.00,2026-11-16,\n")
        #expect(rows.map(\.value) == [
            Payment(debtID: "d1", amount: Money(cents: 10_000), paidAt: instant("2026-11-16"), reference: "E00038166202611161234a1b2c3d4e5f"),
            Payment(debtID: "d1", amount: Money(cents: 10_000), paidAt: instant("2026-11-16")),
        ])
    }

    @Test func equalRowsWithoutAReferenceAreKeptApart() throws {
        let rows = try decode("debt_id,amount,paid_at\nd2,100.00,2026-11-16\nd2,100.00,2026-11-16\n")
        #expect(rows.map(\.row) == [2, 3], "two equal rows are two payments; the ledger decides what it has seen")
    }

    @Test func aReferenceNamesOnePaymentOfADebt() {
        #expect(errors("debt_id,amount,paid_at,reference\nd1,10.00,2026-11-16,T1\nd2,5.00,2026-11-16,T1\nd1,10.00,2026-11-16,T1\n") == [
            CSVError(row: 4, column: "reference", "repeats row 2 for the same debt; a reference names one payment"),
        ], "one transfer may pay two debts, but not the same debt twice")
    }

    @Test func badReferencesAreRefused() {
        let long = String(repeating: "7", count: PaymentRecords.maxReferenceLength + 1)
        #expect(errors("debt_id,amount,paid_at,reference\nd1,1.00,2026-11-16,\(long)\nd1,1.00,2026-11-16,=HYPERLINK(1)\n") == [
            CSVError(row: 2, column: "reference", "a reference is at most 128 characters"),
            CSVError(row: 3, column: "reference", "starts with '=', which spreadsheets run as a formula"),
        ])
    }

    @Test func anAmountAboveTheMaximumIsRefused() throws {
        #expect(errors("debt_id,amount,paid_at\nd1,1000000000.01,2026-11-16\n") == [
            CSVError(row: 2, column: "amount", "at most 1000000000.00 (one billion) per amount"),
        ])
        #expect(try decode("debt_id,amount,paid_at\nd1,1000000000.00,2026-11-16\n").map(\.value.amount) == [Money.maxAmount])
    }
}
