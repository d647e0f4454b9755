/// A single mailbox: an addr-spec plus an optional display name.
///
/// Validation is deliberately stricter than RFC 5322: addresses come from imported CSV files and
/// end up in SMTP commands and headers, so anything that could smuggle a second recipient or a
/// header (CR, LF, NUL, commas, angle brackets, spaces, a second `@`) is refused here. Non-ASCII
/// addresses are refused too (no SMTPUTF8); convert IDN domains to punycode before.
/// Deliberately not `CustomStringConvertible`: an address must never end up in a log by accident.
public struct EmailAddress: Sendable, Equatable, Hashable {
    /// The bare addr-spec, e.g. `ana@example.com`.
    public let address: String
    /// The human name shown by mail clients; RFC 2047-encoded on output when non-ASCII.
    public let displayName: String?

    public init(_ address: String, displayName: String? = nil) throws(DeliveryError) {
        guard Self.isPlausible(address) else {
            throw .invalidMessage("not a plausible single e-mail address")
        }
        if let displayName, displayName.unicodeScalars.contains(where: Self.isControl) {
            throw .invalidMessage("display name contains control characters")
        }
        self.address = address
        self.displayName = displayName.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The header form: `"Ana" <ana@example.com>`, `=?UTF-8?B?...?= <...>` or just `<...>`,
    /// as tokens that a header folder may separate with folding whitespace.
    var headerTokens: [String] {
        let angle = "<\(address)>"
        guard let displayName else { return [angle] }
        let quoted = "\"" + displayName.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"") + "\""
        if displayName.allSatisfy(\.isASCII), quoted.count <= 60 {
            return [quoted, angle]
        }
        return HeaderEncoding.encodedWords(displayName) + [angle]
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F
    }

    private static func isPlausible(_ text: String) -> Bool {
        guard text.utf8.count <= 254, text.allSatisfy(\.isASCII) else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last,
              !local.isEmpty, local.utf8.count <= 64, !domain.isEmpty else { return false }
        let forbidden = Set("<>()[]\\,;:\"")
        guard !text.unicodeScalars.contains(where: { isControl($0) || $0 == " " }),
              !text.contains(where: { forbidden.contains($0) }),
              !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }
    }
}
