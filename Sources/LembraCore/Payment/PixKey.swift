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
    /// The key as it goes into field 26/01: digits for CPF and CNPJ (with uppercase letters for an
    /// alphanumeric CNPJ), `+55` and digits for a phone,
    /// lowercase for an e-mail and for a random key (EVP, a UUID).
    public let value: String

    /// The longest key the DICT accepts (an e-mail). It also keeps field 26 within its 99 characters.
    static let maxLength = 77

    /// Recognises and normalises a key. Which kind it is follows from its shape: a UUID is random,
    /// anything with `@` an e-mail, `+` a phone, and digits (with `.`, `-`, `/`, spaces) a CPF or
    /// CNPJ whose check digits must match; so are 14 letters and digits (an alphanumeric CNPJ).
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
        } else if Self.looksLikeDocument(t) {
            let document = try Self.document(t)
            (kind, value) = (document.kind == .cpf ? .cpf : .cnpj, document.value)
        } else {
            throw .invalidKey("not a CPF, CNPJ, +55 phone, e-mail or random key (UUID)")
        }
    }

    /// Digits with the mask's punctuation (a CPF or a numeric CNPJ, or a typo in one), or 14
    /// letters and digits with it (an alphanumeric CNPJ). Anything else is not meant as a document,
    /// so it gets the general message rather than a check-digit one.
    static func looksLikeDocument(_ t: String) -> Bool {
        let separators = Document.separators
        if t.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || separators.contains($0) }) { return true }
        let characters = t.unicodeScalars.filter { !separators.contains($0) }
        return characters.count == 14 && characters.allSatisfy { ("0"..."9").contains($0) || $0.properties.isAlphabetic }
    }

    /// A CPF or CNPJ in the form the DICT registers it: without punctuation, CNPJ letters uppercase.
    ///
    /// The DICT's CNPJ key format has been 14 digits; for an alphanumeric CNPJ the key is taken
    /// as its 14 normalised characters (`12ABC34501DE35`), the form the Receita Federal writes
    /// unmasked, until the Banco Central specifies otherwise.
    static func document(_ t: String) throws(PixError) -> Document {
        do throws(DocumentError) {
            return try Document(t)
        } catch {
            let hint = t.filter(\.isNumber).count == 11 ? " (a phone key starts with +55)" : ""
            throw .invalidKey(error.description + hint)
        }
    }

    /// `8-4-4-4-12` hexadecimal digits, the form of an EVP key.
    static func isUUID(_ t: String) -> Bool {
        let groups = t.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    /// An address under `EmailAddressSyntax` (the rule for every address), lowercased as the DICT
    /// stores it, of at most `maxLength` characters.
    static func email(_ t: String) throws(PixError) -> String {
        let lowered = t.lowercased()
        if let problem = EmailAddressSyntax.problem(lowered) { throw .invalidKey("not an e-mail address: \(problem)") }
        guard t.count <= maxLength else { throw .invalidKey("an e-mail key has at most \(maxLength) characters") }
        return lowered
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
