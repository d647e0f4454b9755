import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import Testing

/// What a backup carries of the payment promise and the payments ingress, read back the way
/// `lembra restore` installs it (copied with `SQLiteLedger.copy`, opened, `recordRestored`): the
/// promises (a held debt stays held, a used link stays used), the unmatched payments the operator
/// still has to check, and the Pix txid index with the mark of what it has seen.
@Suite struct BackupContentsTests {
    static let now = LedgerFixture.now
    static let due = CalendarDate(iso: "2026-11-17")!
    /// Not its own txid (a hyphen): found only through `pix_txids`.
    static let hashed = "DEB-2026-0001"

    @Test func aRestoredBackupKeepsPromisesUnmatchedPaymentsAndTxids() throws {
        let f = try LedgerFixture()
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: Self.hashed, customerID: "c1", amount: Money(cents: 2_500), dueDate: Self.due))],
                                     now: Self.now)
        #expect(try f.ledger.promise(debtID: "d1", dueDate: Self.due, stepID: "forgetful.1d", through: CalendarDate(iso: "2026-11-21")!,
                                     now: Self.now) == .recorded)
        let unknown = IncomingPayment(target: .debt("nope"), amount: Money(cents: 500), paidAt: Self.now, reference: "E2E-unknown")
        #expect(try f.ledger.receive(unknown, source: "payments_webhook", now: Self.now) == .unmatched(.unknownDebt, new: true))
        try f.ledger.indexPixTxids()
        #expect(try f.ledger.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM pix_txids WHERE debt_id = ?", arguments: [Self.hashed]) } == 1)

        let backup = f.dir.path("backup.sqlite").path, restoredPath = f.dir.path("restored.sqlite").path
        try f.ledger.backup(to: backup, takenAt: Self.now)
        try SQLiteLedger.copy(backup, to: restoredPath)
        let restored = try SQLiteLedger(path: restoredPath)
        _ = try restored.recordRestored(mayHaveGoneOut: [], now: Self.now.addingTimeInterval(3600))

        // The promise: the link is used, and the planner still sees the debt's promise.
        #expect(try restored.promiseSubject(debtID: "d1", dueDate: Self.due, stepID: "forgetful.1d")?.alreadyUsed == true)
        #expect(try restored.promise(debtID: "d1", dueDate: Self.due, stepID: "forgetful.1d", through: CalendarDate(iso: "2026-11-20")!,
                                     now: Self.now) == .alreadyUsed)
        let c = try #require(try restored.cases(customerIDs: ["c1"], now: Self.now).first)
        #expect(c.promises == ["d1": DebtPromise(through: CalendarDate(iso: "2026-11-21")!, stepID: "forgetful.1d")])
        // The unmatched payment is still listed, and the same confirmation again is no new one.
        let unmatched = try restored.unmatchedPayments(limit: 10)
        #expect(unmatched.total == 1 && unmatched.payments.first?.reference == "E2E-unknown")
        #expect(try restored.receive(unknown, source: "payments_webhook", now: Self.now) == .unmatched(.unknownDebt, new: false))
        // The txid index and its mark came along: a Pix to the hashed txid finds its debt.
        let txid = PixBRCode.txid(fromDebtID: Self.hashed)
        #expect(txid != Self.hashed)
        let pix = IncomingPayment(target: .pixTxid(txid), amount: Money(cents: 2_500), paidAt: Self.now, reference: "E2E-pix")
        #expect(try restored.receive(pix, source: "pix", now: Self.now) == .recorded(debtID: Self.hashed, settled: true))
    }

    /// A copy made without `lembra backup` is dated by its last change; an unmatched payment
    /// received after everything else is one, so the copy is not taken for older than it is.
    @Test func anUnmatchedPaymentIsALastChange() throws {
        let f = try LedgerFixture()
        let later = Self.now.addingTimeInterval(600)
        let unknown = IncomingPayment(target: .debt("nope"), amount: Money(cents: 500), paidAt: later, reference: "E2E-late")
        #expect(try f.ledger.receive(unknown, source: "payments_webhook", now: later) == .unmatched(.unknownDebt, new: true))
        #expect(try f.ledger.lastChange() == later)
    }
}
