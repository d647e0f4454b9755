import Foundation
import LembraCore
import LembraStore

extension PostgresLedger: LedgerControls {
    public func pause(customerID: String, through: CalendarDate?, reason: String, now: Date) throws(StoreError) -> Int { throw Self.notYet("pause") }
    public func resume(customerID: String, now: Date) throws(StoreError) { throw Self.notYet("resume") }
    public func optOut(customerID: String, reason: String, now: Date) throws(StoreError) -> Int { throw Self.notYet("opt out") }
    public func optIn(customerID: String, now: Date) throws(StoreError) { throw Self.notYet("opt in") }
    public func dispute(debtID: String, reason: String, now: Date) throws(StoreError) -> Int { throw Self.notYet("dispute") }
    public func resolve(debtID: String, now: Date) throws(StoreError) { throw Self.notYet("resolve") }
    public func pay(debtID: String, amount: Money?, at: Date, now: Date) throws(StoreError) -> Bool { throw Self.notYet("pay") }
    public func balance(of debtID: String) throws(StoreError) -> (owed: Money, currency: String)? { throw Self.notYet("read balance") }
    public func requeue(_ filter: RequeueFilter, by user: String, dryRun: Bool, now: Date) throws(StoreError) -> RequeueResult { throw Self.notYet("requeue") }
    public func receive(_ payment: IncomingPayment, source: String, now: Date) throws(StoreError) -> IngressOutcome { throw Self.notYet("receive payment") }
    public func indexPixTxids() throws(StoreError) { throw Self.notYet("index pix txids") }
    public func promiseSubject(debtID: String, dueDate: CalendarDate, stepID: String) throws(StoreError) -> PromiseSubject? {
        throw Self.notYet("read promise subject")
    }
    public func promise(debtID: String, dueDate: CalendarDate, stepID: String, through: CalendarDate, now: Date) throws(StoreError) -> PromiseOutcome {
        throw Self.notYet("promise")
    }
}
