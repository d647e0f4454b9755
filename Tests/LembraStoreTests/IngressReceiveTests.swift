import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import Testing

/// `SQLiteLedger.receive`: a payment confirmed over HTTP, matched by debt id or Pix txid, recorded
/// once per reference, and kept aside for the operator when it cannot be applied.
struct IngressReceiveTests {
    let now = LedgerFixture.now

    func payment(_ target: IncomingPayment.Target, cents: Int64 = 10_000, reference: String = "E2E-1") -> IncomingPayment {
        IncomingPayment(target: target, amount: Money(cents: cents), paidAt: now, reference: reference)
    }

    @Test func aConfirmationSettlesTheDebtLikePayCancellingItsClaimedReminder() throws {
        let f = try LedgerFixture()
        _ = try #require(try f.claim(f.message(["d1"])).first)
        #expect(try f.ledger.receive(payment(.debt("d1")), source: "payments_webhook", now: now) == .recorded(debtID: "d1", settled: true))
        #expect(try f.ledger.sendable(now: now).isEmpty, "the claimed reminder of the paid debt is cancelled")
        #expect(try f.ledger.dueCases(now: now).first?.thanksDue == ["d1"])
        #expect(try f.ledger.history(id: "d1").contains { $0.summary.contains("source=payments_webhook") })
    }

    @Test func theSameReferenceTwiceIsOnePayment() throws {
        let f = try LedgerFixture()
        #expect(try f.ledger.receive(payment(.debt("d1"), cents: 4_000), source: "pix", now: now) == .recorded(debtID: "d1", settled: false))
        #expect(try f.ledger.receive(payment(.debt("d1"), cents: 4_000), source: "pix", now: now) == .duplicate(debtID: "d1"))
        #expect(try f.ledger.balance(of: "d1")?.owed == Money(cents: 6_000), "counted once")
    }

    @Test func aPixTxidFindsItsDebtWhetherTheIdIsItsOwnTxidOrHashed() throws {
        let f = try LedgerFixture()
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "DEB-2026/0001", customerID: "c1", amount: Money(cents: 700),
                                                                   dueDate: CalendarDate(iso: "2026-11-17")!))], now: now)
        try f.ledger.indexPixTxids()
        let hashed = PixBRCode.txid(fromDebtID: "DEB-2026/0001")
        #expect(hashed != "DEB-2026/0001")
        #expect(try f.ledger.receive(payment(.pixTxid(hashed), cents: 700), source: "pix", now: now) == .recorded(debtID: "DEB-2026/0001", settled: true))
        #expect(try f.ledger.receive(payment(.pixTxid("d2"), cents: 5_000, reference: "E2E-2"), source: "pix", now: now) == .recorded(debtID: "d2", settled: true))
    }

    @Test func aDebtImportedAfterTheIndexIsFoundByItsTxid() throws {
        let f = try LedgerFixture()
        try f.ledger.indexPixTxids()
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "late.debt-1", customerID: "c1", amount: Money(cents: 300),
                                                                   dueDate: CalendarDate(iso: "2026-11-17")!))], now: now)
        let txid = PixBRCode.txid(fromDebtID: "late.debt-1")
        #expect(try f.ledger.receive(payment(.pixTxid(txid), cents: 300), source: "pix", now: now) == .recorded(debtID: "late.debt-1", settled: true))
    }

    /// An unknown txid costs an index probe, not a pass over every debt, unless a debt was added
    /// since the last pass. Seen by taking one txid out of the index by hand: a miss does not
    /// put it back until a debt is imported.
    @Test func aMissPassesOverTheDebtsOnlyWhenOneWasAdded() throws {
        let f = try LedgerFixture()
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "x.1", customerID: "c1", amount: Money(cents: 300),
                                                                   dueDate: CalendarDate(iso: "2026-11-17")!))], now: now)
        try f.ledger.indexPixTxids()
        try f.ledger.pool.write { try $0.execute(sql: "DELETE FROM pix_txids WHERE debt_id = 'x.1'") }
        let txid = PixBRCode.txid(fromDebtID: "x.1")
        #expect(try f.ledger.receive(payment(.pixTxid(txid), cents: 300), source: "pix", now: now) == .unmatched(.unknownTxid, new: true))
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "x.2", customerID: "c1", amount: Money(cents: 300),
                                                                   dueDate: CalendarDate(iso: "2026-11-17")!))], now: now)
        #expect(try f.ledger.receive(payment(.pixTxid(txid), cents: 300, reference: "E2E-2"), source: "pix", now: now)
                == .recorded(debtID: "x.1", settled: true))
    }

    @Test func whatCannotBeAppliedIsKeptOnceForTheOperator() throws {
        let f = try LedgerFixture()
        #expect(try f.ledger.receive(payment(.pixTxid("NOSUCHTXID")), source: "pix", now: now) == .unmatched(.unknownTxid, new: true))
        #expect(try f.ledger.receive(payment(.pixTxid("NOSUCHTXID")), source: "pix", now: now) == .unmatched(.unknownTxid, new: false))
        #expect(try f.ledger.receive(payment(.debt("nope")), source: "payments_webhook", now: now) == .unmatched(.unknownDebt, new: true))
        #expect(try f.ledger.receive(payment(.debt("d1")), source: "pix", now: now) == .recorded(debtID: "d1", settled: true))
        #expect(try f.ledger.receive(payment(.debt("d1"), cents: 9_999), source: "pix", now: now) == .unmatched(.referenceConflict, new: true))
        #expect(try f.ledger.receive(payment(.debt("d1"), reference: "E2E-9"), source: "pix", now: now) == .unmatched(.alreadyPaid, new: true))
        let kept = try f.ledger.unmatchedPayments(limit: 2)
        #expect(kept.total == 4 && kept.payments.count == 2)
        #expect(kept.payments.first?.reason == .alreadyPaid && kept.payments.first?.target == .debt("d1"))
        #expect(try f.ledger.balance(of: "d1") == nil, "paid once, by the first confirmation only")
    }
}
