/// The one rule for e-mail addresses: customers' (CSV import), the sender and Reply-To (config),
/// recipients (delivery) and Pix e-mail keys all go through it, so an address that imports is an
/// address that sends.
///
/// Pragmatic rather than RFC 5322 in full, because addresses end up in SMTP commands and headers:
/// - exactly one `@`, with no quoting (a quoted local part is refused, so the `@` is never hidden);
/// - a local part of 1 to 64 characters: letters, digits and ``!#$%&'*+-/=?^_`{|}~``, with dots
///   between them (not first, not last, not two in a row);
/// - a domain made of at least two dot-separated labels, each 1 to 63 letters, digits and
///   hyphens, not starting or ending with a hyphen (so `a@b.` and `a@.com` fail, and so does
///   `a@localhost`: a reminder must reach a real domain);
/// - at most 254 characters in all, the longest path SMTP carries (which also keeps the domain
///   within DNS's 253);
/// - no control characters (CR, LF, NUL, ... could smuggle a command or a header);
/// - ASCII only. Mail goes out without SMTPUTF8, which a non-ASCII local part needs; an accented
///   domain (IDN) must be written in its `xn--` (punycode) form, which is plain ASCII.
public enum EmailAddressSyntax {
    /// Checks `address` (a bare addr-spec, no display name or angle brackets).
    public static func check(_ address: String) throws(EmailAddressError) {
        guard !address.isEmpty else { throw .empty }
        guard !address.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { throw .controlCharacter }
        guard address.unicodeScalars.allSatisfy(\.isASCII) else { throw .notASCII }
        guard address.utf8.count <= 254 else { throw .tooLong(address.utf8.count) }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count > 1 else { throw .noAtSign }
        guard parts.count == 2 else { throw .severalAtSigns }
        try checkLocalPart(parts[0])
        try checkDomain(parts[1])
    }

    /// The problem with `address`, or nil when it is fine; for rules that report rather than throw.
    public static func problem(_ address: String) -> EmailAddressError? {
        do throws(EmailAddressError) {
            try check(address)
            return nil
        } catch {
            return error
        }
    }

    /// RFC 5322 `atext`: what a dot-atom allows besides letters and digits.
    static let localSymbols = Set("!#$%&'*+-/=?^_`{|}~")

    private static func checkLocalPart(_ local: Substring) throws(EmailAddressError) {
        guard !local.isEmpty else { throw .emptyLocalPart }
        guard local.utf8.count <= 64 else { throw .localPartTooLong(local.utf8.count) }
        if let bad = local.first(where: { !($0.isLetter || $0.isNumber || $0 == "." || localSymbols.contains($0)) }) {
            throw .forbiddenCharacter(bad)
        }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { throw .misplacedDot }
    }

    private static func checkDomain(_ domain: Substring) throws(EmailAddressError) {
        guard !domain.isEmpty else { throw .emptyDomain }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.allSatisfy({ !$0.isEmpty }) else { throw .emptyDomainLabel }
        guard labels.count >= 2 else { throw .singleLabelDomain }
        for label in labels {
            if let bad = label.first(where: { !($0.isLetter || $0.isNumber || $0 == "-") }) { throw .forbiddenDomainCharacter(bad) }
            guard label.utf8.count <= 63 else { throw .domainLabelTooLong(label.utf8.count) }
            guard !label.hasPrefix("-"), !label.hasSuffix("-") else { throw .hyphenAtLabelEdge }
        }
    }
}
