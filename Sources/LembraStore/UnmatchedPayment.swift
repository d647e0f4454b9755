import Foundation
import LembraCore

/// An incoming payment the ledger could not apply, as `lembra status` lists it.
public struct UnmatchedPayment: Sendable, Equatable {
    public var receivedAt: Date
    public var reason: UnmatchedReason
    /// The debt id or the Pix txid, as the confirmation gave it.
    public var target: IncomingPayment.Target
    public var amount: Money
    public var paidAt: Date
    public var reference: String

    public init(receivedAt: Date, reason: UnmatchedReason, target: IncomingPayment.Target, amount: Money, paidAt: Date, reference: String) {
        self.receivedAt = receivedAt; self.reason = reason; self.target = target; self.amount = amount; self.paidAt = paidAt
        self.reference = reference
    }
}
