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
    ///
    /// Once known to be ASCII, the address is checked on its bytes, each one a character: every
    /// recipient of every e-mail comes here, and the Character-level search cost microseconds.
    public static func check(_ address: String) throws(EmailAddressError) {
        guard !address.isEmpty else { throw .empty }
        // ASCII's controls are U+0000–U+001F and U+007F.
        let bytes = Array(address.utf8)
        let ascii = bytes.allSatisfy { $0 < 0x80 }
        let control = ascii ? bytes.contains { $0 < 0x20 || $0 == 0x7F }
                            : address.unicodeScalars.contains { $0.properties.generalCategory == .control }
        guard !control else { throw .controlCharacter }
        guard ascii else { throw .notASCII }
        guard bytes.count <= 254 else { throw .tooLong(bytes.count) }
        let parts = bytes.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
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
    static let localSymbols = Set("!#$%&'*+-/=?^_`{|}~".utf8)

    /// An ASCII letter or digit (the address is ASCII by the time its parts are checked).
    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func checkLocalPart(_ local: ArraySlice<UInt8>) throws(EmailAddressError) {
        guard !local.isEmpty else { throw .emptyLocalPart }
        guard local.count <= 64 else { throw .localPartTooLong(local.count) }
        let dot = UInt8(ascii: ".")
        if let bad = local.first(where: { !(isLetterOrDigit($0) || $0 == dot || localSymbols.contains($0)) }) {
            throw .forbiddenCharacter(Character(Unicode.Scalar(bad)))
        }
        let doubleDot = zip(local, local.dropFirst()).contains { $0 == dot && $1 == dot }
        guard local.first != dot, local.last != dot, !doubleDot else { throw .misplacedDot }
    }

    private static func checkDomain(_ domain: ArraySlice<UInt8>) throws(EmailAddressError) {
        guard !domain.isEmpty else { throw .emptyDomain }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.allSatisfy({ !$0.isEmpty }) else { throw .emptyDomainLabel }
        guard labels.count >= 2 else { throw .singleLabelDomain }
        let hyphen = UInt8(ascii: "-")
        for label in labels {
            if let bad = label.first(where: { !(isLetterOrDigit($0) || $0 == hyphen) }) {
                throw .forbiddenDomainCharacter(Character(Unicode.Scalar(bad)))
            }
            guard label.count <= 63 else { throw .domainLabelTooLong(label.count) }
            guard label.first != hyphen, label.last != hyphen else { throw .hyphenAtLabelEdge }
        }
    }
}
