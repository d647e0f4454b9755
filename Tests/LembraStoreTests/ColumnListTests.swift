@testable import LembraStore
import Testing

@Suite struct ColumnListTests {
    @Test(arguments: [("id", "id"), ("customerID", "customer_id"), ("paymentURL", "payment_url"), ("nextTryAt", "next_try_at"),
                      ("debtIDs", "debt_ids"), ("amountCents", "amount_cents")])
    func namesAreWrittenInSnakeCase(name: String, column: String) {
        #expect(CustomerColumn.snakeCase(name) == column)
    }

    /// The SELECT lists, as they were written by hand before the enums (the decoders read
    /// these positions): a renamed or reordered case shows here.
    @Test func selectListsNameTheSchemasColumnsInOrder() {
        #expect(CustomerColumn.selectList == "id, name, email, phone, document, timezone, locale, paused_through, opted_out, segment")
        #expect(DebtColumn.selectList == "id, customer_id, amount_cents, paid_cents, due_date, description, currency, payment_url, paid_at, "
                + "created_at, dispute_reason, thanks_pending")
        #expect(AttemptColumn.selectList == "a.id, a.customer_id, a.kind, a.channel, a.template, a.segment, a.step_id, a.handoff, a.state, "
                + "a.reason, a.tries, a.next_try_at, p.payload, a.created_at, a.updated_at, " + SQLiteLedger.attemptDebtIDs)
        #expect(PendingFactColumn.selectList.hasPrefix("c.timezone, c.paused_through, COALESCE(c.opted_out, 0), EXISTS ("))
    }

    /// A row holds the lists in order: the pending facts come after the attempt's columns.
    @Test func pendingFactsFollowTheAttempt() {
        #expect(AttemptColumn.debtIDs.position == 15)
        #expect(PendingFactColumn.timezone.position == 16)
        #expect(PendingFactColumn.anyDebtDisputed.position == 20)
    }
}
