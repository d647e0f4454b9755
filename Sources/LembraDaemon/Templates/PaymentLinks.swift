import Crypto
import Foundation
import LembraCore

/// The payment link and Pix code of each debt in a message, for the debt's `amount` (which
/// `MessageFacts` sets to the amount due on the message's day when late fees are on). A debt's
/// own `payment_url` (from the CSV) wins over a generated link.
struct PaymentLinks {
    let config: PaymentLinkConfig?
    let now: Date

    func url(for debt: Debt) -> String? {
        if let own = debt.paymentURL { return own }
        guard case .url(let template, let secret, let expiresIn)? = config else { return nil }
        guard let secret else { return template.fill(debt: debt) }
        let key = SymmetricKey(data: secret)
        return template.make(debt: debt, expiresAt: now.addingTimeInterval(expiresIn)) { message in
            Data(HMAC<SHA256>.authenticationCode(for: message, using: key))
        }
    }

    /// The Pix copia-e-cola for the debt's amount; nil for non-BRL debts.
    func pixCode(for debt: Debt) -> String? {
        guard case .pix(let merchant)? = config else { return nil }
        return try? PixBRCode(debt: debt, merchant: merchant).payload
    }
}
