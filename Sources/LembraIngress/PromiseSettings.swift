import Crypto
import Foundation
import LembraCore

/// `ingress: { public_url, promise: { max_days, signing_secret_file, expires_in } }` — the
/// payment promise page (`GET`/`POST /promise`) and the signed `promise_link` in messages.
///
/// The key is its own, not the payments webhook secret nor the payment link's: each secret
/// signs one kind of thing, so a leaked or rotated one affects only it.
public struct PromiseSettings: Sendable {
    /// Where customers reach the ingress, without a trailing `/` (`https://pay.example/lembra`).
    public var publicURL: String
    public var key: Data
    /// The latest date a customer may promise: today + `maxDays` (their calendar).
    public var maxDays: Int
    /// How long a link works after the message that carries it is claimed.
    public var expiresIn: TimeInterval = 7 * 86_400
    /// The business's zone and locale, for a customer without their own.
    public var timeZone: TimeZone
    public var locale: MessageLocale

    public init(publicURL: String, key: Data, maxDays: Int, timeZone: TimeZone, locale: MessageLocale) {
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.key = key; self.maxDays = maxDays; self.timeZone = timeZone; self.locale = locale
    }

    /// The signed link to the promise page for `debt`, from the message of step `stepID` claimed at `now`.
    public func link(debt: Debt, stepID: String, now: Date) -> String {
        let link = PromiseLink(debtID: debt.id, dueDate: debt.dueDate, stepID: stepID, expiresAt: now.addingTimeInterval(expiresIn))
        return "\(publicURL)/promise?" + link.query(sign: sign)
    }

    /// HMAC-SHA256 with `key`.
    public func sign(_ message: Data) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }
}
