internal import LembraCore

/// A single mailbox: an addr-spec plus an optional display name.
///
/// The addr-spec must pass `EmailAddressSyntax`, the same rule CSV import applies: stricter than
/// RFC 5322, because addresses come from imported CSV files and end up in SMTP commands and
/// headers, so anything that could smuggle a second recipient or a header (CR, LF, NUL, commas,
/// angle brackets, spaces, quotes, a second `@`) is refused. Non-ASCII addresses are refused too
/// (no SMTPUTF8); IDN domains go in their punycode (`xn--`) form.
/// Deliberately not `CustomStringConvertible`: an address must never end up in a log by accident.
public struct EmailAddress: Sendable, Equatable, Hashable {
    /// The bare addr-spec, e.g. `ana@example.com`.
    public let address: String
    /// The human name shown by mail clients; RFC 2047-encoded on output when non-ASCII.
    public let displayName: String?

    public init(_ address: String, displayName: String? = nil) throws(DeliveryError) {
        if let problem = EmailAddressSyntax.problem(address) {
            throw .invalidMessage("e-mail address: \(problem)")
        }
        if let displayName, displayName.unicodeScalars.contains(where: Self.isControl) {
            throw .invalidMessage("display name contains control characters")
        }
        self.address = address
        self.displayName = displayName.flatMap { $0.isEmpty ? nil : $0 }
        headerTokens = Self.headerTokens(address, self.displayName)
    }

    /// The header form: `"Ana" <ana@example.com>`, `=?UTF-8?B?...?= <...>` or just `<...>`,
    /// as tokens that a header folder may separate with folding whitespace. Made with the
    /// address, so a channel's sender, parsed once, is not encoded again for every e-mail.
    let headerTokens: [String]

    private static func headerTokens(_ address: String, _ displayName: String?) -> [String] {
        let angle = "<\(address)>"
        guard let displayName else { return [angle] }
        // On bytes, as this runs for every recipient: an ASCII name's bytes are its characters.
        if displayName.utf8.allSatisfy({ $0 < 0x80 }) {
            var quoted = "\""
            for scalar in displayName.unicodeScalars {
                if scalar == "\\" || scalar == "\"" { quoted += "\\" }
                quoted.unicodeScalars.append(scalar)
            }
            quoted += "\""
            if quoted.utf8.count <= 60 { return [quoted, angle] }
        }
        return HeaderEncoding.encodedWords(displayName) + [angle]
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F
    }
}
