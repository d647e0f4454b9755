import Foundation

/// A Pix key (chave Pix) in the exact form the DICT registers it, so the payer's bank resolves it.
///
/// Config files hold keys the way people write them (`123.456.789-09`, `+55 (11) 98765-4321`,
/// `Ana@Example.com`); a BR Code must carry the registered form (`12345678909`, `+5511987654321`,
/// `ana@example.com`), or the payer sees "chave não encontrada". Validation happens once, when the
/// config is loaded, instead of in every reminder.
public struct PixKey: Sendable, Hashable {
    /// The five kinds of key the DICT knows.
    public enum Kind: String, Sendable, Hashable {
        case cpf, cnpj, phone, email, random
    }

    public let kind: Kind
    /// The key as it goes into field 26/01: digits for CPF and CNPJ, `+55` and digits for a phone,
    /// lowercase for an e-mail and for a random key (EVP, a UUID).
    public let value: String

    /// The longest key the DICT accepts (an e-mail). It also keeps field 26 within its 99 characters.
    static let maxLength = 77

    /// Recognises and normalises a key. Which kind it is follows from its shape: a UUID is random,
    /// anything with `@` an e-mail, `+` a phone, and digits (with `.`, `-`, `/`, spaces) a CPF or
    /// CNPJ whose check digits must match.
    public init(_ text: String) throws(PixError) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { throw .empty("key") }
        guard t.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F || $0 == " " }) else {
            throw .invalidKey("a Pix key is plain ASCII with no control characters")
        }
        if Self.isUUID(t) {
            (kind, value) = (.random, t.lowercased())
        } else if t.contains("@") {
            (kind, value) = (.email, try Self.email(t))
        } else if t.hasPrefix("+") {
            (kind, value) = (.phone, try Self.phone(t))
        } else if t.allSatisfy({ $0.isNumber || ".-/ ".contains($0) }) {
            if let problem = Document.validate(t) {
                let hint = t.filter(\.isNumber).count == 11 ? " (a phone key starts with +55)" : ""
                throw .invalidKey(problem + hint)
            }
            let digits = t.filter(\.isNumber)
            (kind, value) = (digits.count == 11 ? .cpf : .cnpj, digits)
        } else {
            throw .invalidKey("not a CPF, CNPJ, +55 phone, e-mail or random key (UUID)")
        }
    }

    /// `8-4-4-4-12` hexadecimal digits, the form of an EVP key.
    static func isUUID(_ t: String) -> Bool {
        let groups = t.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    /// One `@`, a non-empty local part, a dotted domain, no spaces; lowercased as the DICT stores it.
    static func email(_ t: String) throws(PixError) -> String {
        let parts = t.lowercased().split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !t.contains(" "),
              parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !parts[1].contains("..")
        else { throw .invalidKey("not an e-mail address") }
        guard t.count <= maxLength else { throw .invalidKey("an e-mail key has at most \(maxLength) characters") }
        return parts.joined(separator: "@")
    }

    /// `+55`, a two-digit area code (DDD, no leading 0) and an 8- or 9-digit number. Spaces,
    /// hyphens and parentheses are dropped.
    static func phone(_ t: String) throws(PixError) -> String {
        let compact = t.filter { !" -()".contains($0) }
        let national = compact.dropFirst(3)
        guard compact.hasPrefix("+55"), national.allSatisfy(\.isNumber), (10...11).contains(national.count),
              national.first != "0" else {
            throw .invalidKey("a phone key is +55, the area code and the number (10 or 11 digits after +55)")
        }
        return compact
    }
}
