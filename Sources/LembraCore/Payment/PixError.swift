/// Why a Pix key, merchant or BR Code was refused.
///
/// Built like `DeliveryError` (after Hummingbird's `PersistError`): a struct around a private code
/// so new reasons can be added without breaking callers. `field` is the config key at fault
/// (`key`, `merchant_name`, `merchant_city`, `amount`, `txid`, `currency`) so `check-config` can point
/// at it. Messages never repeat the key itself: it is often a CPF, a phone or an e-mail (LGPD).
public struct PixError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case invalidKey = "invalid_key", empty, tooLong = "too_long"
        case unsupportedCharacter = "unsupported_character", invalidAmount = "invalid_amount"
        case invalidTxid = "invalid_txid", unsupportedCurrency = "unsupported_currency"
    }

    private let code: Code
    /// The config key (or argument) at fault.
    public let field: String
    /// A short explanation for a person, free of personal data.
    public let message: String

    private init(_ code: Code, _ field: String, _ message: String) {
        self.code = code; self.field = field; self.message = message
    }

    /// What went wrong, as logged and tested: `invalid_key`, `empty`, `too_long`,
    /// `unsupported_character`, `invalid_amount`, `invalid_txid` or `unsupported_currency`.
    public var reason: String { code.rawValue }

    static func invalidKey(_ message: String) -> Self { .init(.invalidKey, "key", message) }
    static func empty(_ field: String) -> Self { .init(.empty, field, "must not be empty") }
    static func tooLong(_ field: String, length: Int, limit: Int) -> Self {
        .init(.tooLong, field, "is \(length) characters after removing accents; a Pix code allows at most \(limit)")
    }
    static func unsupportedCharacter(_ field: String, _ scalar: Unicode.Scalar) -> Self {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return .init(.unsupportedCharacter, field, "has U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex), "
            + "which has no plain-ASCII form; a Pix code carries letters without accents, digits and punctuation only")
    }
    static func invalidAmount(_ message: String) -> Self { .init(.invalidAmount, "amount", message) }
    static func invalidTxid(_ message: String) -> Self { .init(.invalidTxid, "txid", message) }
    static func unsupportedCurrency(_ currency: String) -> Self {
        .init(.unsupportedCurrency, "currency", "is \(currency); Pix moves only BRL")
    }

    /// `field: message`, e.g. `merchant_city: is 19 characters after removing accents; ...`.
    public var description: String { "\(field): \(message)" }
}
