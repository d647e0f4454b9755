import Foundation
import LembraCore
import LembraStore
import Testing

/// `receive` on either ledger: a payment confirmed over HTTP, matched by debt id or Pix txid,
/// recorded once per reference, and kept aside for the operator when it cannot be applied.
struct IngressReceiveContractTests {
    static let now = ContractFixture.now

    func payment(_ target: IncomingPayment.Target, cents: Int64 = 10_000, reference: String = "E2E-1") -> IncomingPayment {
        IncomingPayment(target: target, amount: Money(cents: cents), paidAt: Self.now.addingTimeInterval(-60), reference: reference)
    }

    func importDebt(_ f: ContractFixture, _ id: String, cents: Int64) throws {
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: id, customerID: "c1", amount: Money(cents: cents),
                                                                   dueDate: ContractFixture.d1Due))], now: Self.now)
    }

    @Test(arguments: Backend.allCases)
    func aConfirmationSettlesTheDebtLikePayCancellingItsClaimedReminder(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let claimed = try #require(try f.claim(f.message(["d1"])).first)
        #expect(try f.ledger.receive(payment(.debt("d1")), source: "payments_webhook", now: Self.now) == .recorded(debtID: "d1", settled: true))
        #expect(try f.ledger.record([], markingSending: [claimed], now: Self.now).isEmpty, "the claimed reminder of the paid debt is cancelled")
        #expect(try f.planned()?.thanksDue == ["d1"])
        #expect(try f.planned()?.debts.first { $0.id == "d1" }?.paidAt == Self.now.addingTimeInterval(-60), "paid when the PSP says")
        #expect(try f.ledger.history(id: "d1").contains { $0.kind == "payment" && $0.summary == "amount_cents=10000 source=payments_webhook" })
    }

    @Test(arguments: Backend.allCases)
    func theSameReferenceTwiceIsOnePayment(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        #expect(try f.ledger.receive(payment(.debt("d1"), cents: 4_000), source: "pix", now: Self.now) == .recorded(debtID: "d1", settled: false))
        #expect(try f.ledger.receive(payment(.debt("d1"), cents: 4_000), source: "pix", now: Self.now) == .duplicate(debtID: "d1"))
        #expect(try f.ledger.balance(of: "d1")?.owed == Money(cents: 6_000), "counted once")
    }

    @Test(arguments: Backend.allCases)
    func aPixTxidFindsItsDebtWhetherTheIdIsItsOwnTxidOrHashed(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        try importDebt(f, "DEB-2026/0001", cents: 700)
        try f.ledger.indexPixTxids()
        let hashed = PixBRCode.txid(fromDebtID: "DEB-2026/0001")
        #expect(hashed != "DEB-2026/0001")
        #expect(try f.ledger.receive(payment(.pixTxid(hashed), cents: 700), source: "pix", now: Self.now) == .recorded(debtID: "DEB-2026/0001", settled: true))
        #expect(try f.ledger.receive(payment(.pixTxid("d2"), cents: 5_000, reference: "E2E-2"), source: "pix", now: Self.now)
                == .recorded(debtID: "d2", settled: true))
    }

    /// The index is brought up to date when a txid is not found and debts were added since.
    @Test(arguments: Backend.allCases)
    func aDebtImportedAfterTheIndexIsFoundByItsTxid(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        try f.ledger.indexPixTxids()
        let txid = PixBRCode.txid(fromDebtID: "late.debt-1")
        #expect(try f.ledger.receive(payment(.pixTxid(txid), cents: 300), source: "pix", now: Self.now) == .unmatched(.unknownTxid, new: true))
        try importDebt(f, "late.debt-1", cents: 300)
        #expect(try f.ledger.receive(payment(.pixTxid(txid), cents: 300, reference: "E2E-2"), source: "pix", now: Self.now)
                == .recorded(debtID: "late.debt-1", settled: true))
    }

    /// A Pix sent to the key by hand carries no txid: it names no debt.
    @Test(arguments: Backend.allCases)
    func aPixWithoutATxidIsUnmatched(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        #expect(try f.ledger.receive(payment(.pixTxid("")), source: "pix", now: Self.now) == .unmatched(.unknownTxid, new: true))
    }

    @Test(arguments: Backend.allCases)
    func whatCannotBeAppliedIsKeptOnceForTheOperator(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let receive = { (p: IncomingPayment, at: Date) throws -> IngressOutcome in try f.ledger.receive(p, source: "pix", now: at) }
        #expect(try receive(payment(.pixTxid("NOSUCHTXID")), Self.now) == .unmatched(.unknownTxid, new: true))
        #expect(try receive(payment(.pixTxid("NOSUCHTXID")), Self.now) == .unmatched(.unknownTxid, new: false))
        #expect(try receive(payment(.debt("nope")), Self.now.addingTimeInterval(1)) == .unmatched(.unknownDebt, new: true))
        #expect(try receive(payment(.debt("d1")), Self.now) == .recorded(debtID: "d1", settled: true))
        #expect(try receive(payment(.debt("d1"), cents: 9_999), Self.now.addingTimeInterval(2)) == .unmatched(.referenceConflict, new: true))
        #expect(try receive(payment(.debt("d1"), reference: "E2E-9"), Self.now.addingTimeInterval(3)) == .unmatched(.alreadyPaid, new: true))
        let kept = try f.ledger.unmatchedPayments(limit: 2)
        #expect(kept.total == 4)
        #expect(kept.payments == [
            UnmatchedPayment(receivedAt: Self.now.addingTimeInterval(3), reason: .alreadyPaid, target: .debt("d1"), amount: Money(cents: 10_000),
                             paidAt: Self.now.addingTimeInterval(-60), reference: "E2E-9"),
            UnmatchedPayment(receivedAt: Self.now.addingTimeInterval(2), reason: .referenceConflict, target: .debt("d1"), amount: Money(cents: 9_999),
                             paidAt: Self.now.addingTimeInterval(-60), reference: "E2E-1"),
        ], "newest first")
        #expect(try f.ledger.unmatchedPayments(limit: 10).payments.last?.target == .pixTxid("NOSUCHTXID"))
        #expect(try f.ledger.balance(of: "d1") == nil, "paid once, by the first confirmation only")
    }
}
