/// What is wrong with an e-mail address, found by `EmailAddressSyntax`.
///
/// A struct around a private code, like `PixError`. The message names the problem but never
/// repeats the address (personal data, LGPD); at most it quotes the one character at fault. It
/// never contains `@` either: delivery errors redact any word with one, which would hide the
/// explanation.
public struct EmailAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case empty, controlCharacter = "control_character", notASCII = "not_ascii", tooLong = "too_long"
        case noAtSign = "no_at_sign", severalAtSigns = "several_at_signs"
        case emptyLocalPart = "empty_local_part", localPartTooLong = "local_part_too_long"
        case forbiddenCharacter = "forbidden_character", misplacedDot = "misplaced_dot"
        case emptyDomain = "empty_domain", emptyDomainLabel = "empty_domain_label"
        case singleLabelDomain = "single_label_domain", forbiddenDomainCharacter = "forbidden_domain_character"
        case domainLabelTooLong = "domain_label_too_long", hyphenAtLabelEdge = "hyphen_at_label_edge"
    }

    private let code: Code
    /// A short explanation for a person, without the address.
    public let message: String

    private init(_ code: Code, _ message: String) { self.code = code; self.message = message }

    /// The problem as a stable code, e.g. `empty_domain_label`, for tests and callers that branch.
    public var reason: String { code.rawValue }

    static let empty = Self(.empty, "empty")
    static let controlCharacter = Self(.controlCharacter, "contains a control character (line break, tab or NUL)")
    static let notASCII = Self(.notASCII, "has a character outside plain ASCII (mail goes out without SMTPUTF8; "
        + "write an accented domain in its xn-- form)")
    static func tooLong(_ length: Int) -> Self { .init(.tooLong, "is \(length) characters long; at most 254") }
    static let noAtSign = Self(.noAtSign, "no at sign")
    static let severalAtSigns = Self(.severalAtSigns, "more than one at sign")
    static let emptyLocalPart = Self(.emptyLocalPart, "nothing before the at sign")
    static func localPartTooLong(_ length: Int) -> Self {
        .init(.localPartTooLong, "\(length) characters before the at sign; at most 64")
    }
    static func forbiddenCharacter(_ c: Character) -> Self {
        .init(.forbiddenCharacter, "\(describe(c)) is not allowed before the at sign")
    }
    static let misplacedDot = Self(.misplacedDot, "a dot at the start or end of the part before the at sign, or two dots in a row")
    static let emptyDomain = Self(.emptyDomain, "empty domain (nothing after the at sign)")
    static let emptyDomainLabel = Self(.emptyDomainLabel, "empty domain label (a dot at the start or end of the domain, or two in a row)")
    static let singleLabelDomain = Self(.singleLabelDomain, "domain without a dot; expected one like exemplo.com.br")
    static func forbiddenDomainCharacter(_ c: Character) -> Self {
        .init(.forbiddenDomainCharacter, "\(describe(c)) in the domain, which has only letters, digits, hyphens and dots")
    }
    static func domainLabelTooLong(_ length: Int) -> Self {
        .init(.domainLabelTooLong, "domain label of \(length) characters; at most 63")
    }
    static let hyphenAtLabelEdge = Self(.hyphenAtLabelEdge, "domain label starting or ending with a hyphen")

    /// `'<'`, or `a space` where quotes would hide it.
    private static func describe(_ c: Character) -> String { c == " " ? "a space" : "'\(c)'" }

    /// The message alone: callers say whose address it is (`email`, `from`, `reply_to`).
    public var description: String { message }
}
