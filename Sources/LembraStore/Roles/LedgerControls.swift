import Foundation
import LembraCore

/// The operator's and the payer's controls: pause, opt-out, dispute, payment, promise and
/// requeue. Each that stops messages cancels the attempts claimed but not yet `sending` in its
/// own commit, and makes a plan read before it stale (`LedgerClaims.claim`).
public protocol LedgerControls: Sendable {
    func pause(customerID: String, through: CalendarDate?, reason: String, now: Date) throws(StoreError) -> Int
    func resume(customerID: String, now: Date) throws(StoreError)
    func optOut(customerID: String, reason: String, now: Date) throws(StoreError) -> Int
    func optIn(customerID: String, now: Date) throws(StoreError)
    func dispute(debtID: String, reason: String, now: Date) throws(StoreError) -> Int
    func resolve(debtID: String, now: Date) throws(StoreError)
    /// Records a payment (the whole debt when `amount` is nil); false when it was already paid.
    func pay(debtID: String, amount: Money?, at: Date, now: Date) throws(StoreError) -> Bool
    func balance(of debtID: String) throws(StoreError) -> (owed: Money, currency: String)?
    func requeue(_ filter: RequeueFilter, by user: String, dryRun: Bool, now: Date) throws(StoreError) -> RequeueResult
    /// A payment confirmed by a gateway or the PSP (the ingress), idempotent by its source's id.
    func receive(_ payment: IncomingPayment, source: String, now: Date) throws(StoreError) -> IngressOutcome
    /// Fills the Pix txid index for debts imported before it existed.
    func indexPixTxids() throws(StoreError)
    func promiseSubject(debtID: String, dueDate: CalendarDate, stepID: String) throws(StoreError) -> PromiseSubject?
    func promise(debtID: String, dueDate: CalendarDate, stepID: String, through: CalendarDate, now: Date) throws(StoreError) -> PromiseOutcome
    /// What a ledger put back from a backup or a dump records before any daemon runs on it
    /// (`lembra restore`): every attempt still pending, and every step of `messages` (those the
    /// planner finds due since the copy was taken) not in it yet, in doubt with reason
    /// `restored`. Returns how many of each.
    func recordRestored(mayHaveGoneOut messages: [PlannedMessage], now: Date) throws(StoreError) -> (pending: Int, steps: Int)
}
