import Foundation
import LembraCore
import Testing

/// Dates as spreadsheets write them: `dd/mm/aaaa` (never month first) and ISO.
@Suite struct SpreadsheetDateTests {
    func debts(_ due: String, paidAt: String = "") throws -> Debt {
        try #require(try DebtRecords.decode(try CSVReader.parse(Array("id;customer_id;amount;due_date;paid_at\nd1;c1;10,00;\(due);\(paidAt)\n".utf8)),
                                            timeZone: Zone.saoPaulo).first).value
    }

    func errors(_ column: String, _ value: String) -> [CSVError] {
        let due = column == "due_date" ? value : "20/11/2026", paid = column == "paid_at" ? value : ""
        return importErrors("id;customer_id;amount;due_date;paid_at\nd1;c1;10,00;\(due);\(paid)\n") { _ = try DebtRecords.decode($0, timeZone: Zone.saoPaulo) }
    }

    @Test func dueDatesDayFirstOrISO() throws {
        #expect(try debts("17/11/2026").dueDate == day("2026-11-17"))
        #expect(try debts("05/11/2026").dueDate == day("2026-11-05"), "the 5th of November, never the 11th of May")
        #expect(try debts("5/1/2027").dueDate == day("2027-01-05"))
        #expect(try debts("2026-11-17").dueDate == day("2026-11-17"))
        #expect(try debts("29/02/2028").dueDate == day("2028-02-29"))
    }

    @Test func paidAtDayFirstWithOrWithoutTimeOrISO() throws {
        #expect(try debts("17/11/2026", paidAt: "12/11/2026 09:15:00").paidAt == instant("2026-11-12T09:15:00"))
        #expect(try debts("17/11/2026", paidAt: "12/11/2026 09:15").paidAt == instant("2026-11-12T09:15:00"))
        #expect(try debts("17/11/2026", paidAt: "12/11/2026").paidAt == instant("2026-11-12"))
        #expect(try debts("17/11/2026", paidAt: "2026-11-12T09:15:00-03:00").paidAt == instant("2026-11-12T12:15:00Z"))
    }

    @Test(arguments: [
        ("due_date", "31/02/2026", "31/02/2026 is not a date: February 2026 has 28 days"),
        ("due_date", "29/02/2026", "29/02/2026 is not a date: February 2026 has 28 days"),
        ("due_date", "31/04/2026", "31/04/2026 is not a date: April 2026 has 30 days"),
        ("due_date", "2026-02-30", "2026-02-30 is not a date: February 2026 has 28 days"),
        ("due_date", "11/20/2026", "no month 20; dates are read day/month/year, like 20/11/2026"),
        ("due_date", "2026-13-01", "no month 13"),
        ("due_date", "20/11/26", "not a date like 20/11/2026 (the year in four digits)"),
        ("due_date", "20.11.2026", "not a date like 20/11/2026 or 2026-11-20"),
        ("due_date", "20/11/2026 10:00", "not a date like 20/11/2026 or 2026-11-20"),
        ("due_date", "20/11/1850", "the year must be between 1900 and 9999"),
        ("paid_at", "31/11/2026 10:00", "31/11/2026 is not a date: November 2026 has 30 days"),
        ("paid_at", "12/11/2026 25:00", "not a date and time like 20/11/2026, 20/11/2026 10:30 or 2026-11-20T10:30:00-03:00"),
        ("paid_at", "ontem", "not a date like 20/11/2026 or 2026-11-20"),
    ])
    func invalidDatesNameRowAndColumn(column: String, value: String, message: String) {
        #expect(errors(column, value) == [CSVError(row: 2, column: column, message)])
    }

    @Test func paymentsPaidAtToo() {
        #expect(importErrors("debt_id;amount;paid_at\nd1;10,00;30/02/2026\n") { _ = try PaymentRecords.decode($0, timeZone: Zone.saoPaulo) }
                == [CSVError(row: 2, column: "paid_at", "30/02/2026 is not a date: February 2026 has 28 days")])
    }
}
