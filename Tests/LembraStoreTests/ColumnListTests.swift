@testable import LembraStore
import Testing

@Suite struct ColumnListTests {
    @Test(arguments: [("id", "id"), ("customerID", "customer_id"), ("paymentURL", "payment_url"), ("nextTryAt", "next_try_at"),
                      ("debtIDs", "debt_ids"), ("amountCents", "amount_cents")])
    func namesAreWrittenInSnakeCase(name: String, column: String) {
        #expect(CustomerColumn.snakeCase(name) == column)
    }

    /// A row holds the lists in order: the pending facts come after the attempt's columns, and
    /// each case sits where the SELECT list puts it.
    @Test func positionsFollowTheSelectList() {
        #expect(PendingFactColumn.timezone.position == AttemptColumn.allCases.count)
        let debt = DebtColumn.selectList.components(separatedBy: ", ")
        #expect(debt.firstIndex(of: "due_date") == DebtColumn.dueDate.position)
        #expect(debt.firstIndex(of: "thanks_pending") == DebtColumn.thanksPending.position)
        #expect(AttemptColumn.selectList.hasPrefix("a.id, a.customer_id, "))
        #expect(AttemptColumn.payload.expression == "p.payload")
    }
}
