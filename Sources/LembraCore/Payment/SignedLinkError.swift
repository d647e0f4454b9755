/// Why a payment-link template was refused or a signed link did not verify.
///
/// A struct around a private code, like `DeliveryError`. Messages may quote the template (config,
/// not personal data) but never the debt id or a URL (which embed customer data).
public struct SignedLinkError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case invalidTemplate = "invalid_template", malformed, invalidSignature = "invalid_signature", expired
    }

    private let code: Code
    /// A short explanation for a person.
    public let message: String

    private init(_ code: Code, _ message: String) { self.code = code; self.message = message }

    /// `invalid_template`, `malformed`, `invalid_signature` or `expired`.
    public var reason: String { code.rawValue }

    /// The config's `template` can't make links (`check-config` reports it).
    static func invalidTemplate(_ message: String) -> Self { .init(.invalidTemplate, message) }
    /// The URL lacks a single numeric `exp` or a single `sig`.
    static let malformed = Self(.malformed, "the link has no single exp and sig")
    /// The URL is not what this secret makes for this debt: altered, or signed with another secret.
    static let invalidSignature = Self(.invalidSignature, "the link does not match its signature")
    /// Genuine, but past its `exp`.
    static let expired = Self(.expired, "the link has expired")

    /// `reason: message`.
    public var description: String { "\(reason): \(message)" }
}
