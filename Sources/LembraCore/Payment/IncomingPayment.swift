import Foundation

/// A payment confirmation from outside (a PSP's webhook), before it is matched to a debt: the
/// ingress knows it by the debt's id (`POST /payments`) or by the txid of the debt's Pix code
/// (`POST /pix`), and always by the payer's bank `reference`, which makes it idempotent.
public struct IncomingPayment: Sendable, Equatable {
    /// How the confirmation names the debt.
    public enum Target: Sendable, Equatable {
        case debt(String)
        /// Field 62-05 of the debt's Pix code (see `PixBRCode.txid(fromDebtID:)`).
        case pixTxid(String)
    }

    public var target: Target
    public var amount: Money
    public var paidAt: Date
    /// The PSP's id of the transfer (the Pix end-to-end id): the same reference twice is one payment.
    public var reference: String

    public init(target: Target, amount: Money, paidAt: Date, reference: String) {
        self.target = target; self.amount = amount; self.paidAt = paidAt; self.reference = reference
    }
}
