/// Why a CPF or CNPJ was refused.
///
/// A struct around a private code, like `PixError`. Messages never repeat the document: a CPF is
/// personal data (LGPD), and CSV and config errors put the message beside the column or key.
public struct DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case characters, length, letterInCheckDigits = "letter_in_check_digits", checkDigits = "check_digits"
    }

    private let code: Code
    /// A short explanation for a person.
    public let message: String

    private init(_ code: Code, _ message: String) { self.code = code; self.message = message }

    /// `characters`, `length`, `letter_in_check_digits` or `check_digits`.
    public var reason: String { code.rawValue }

    /// Something other than ASCII digits, letters and the mask's punctuation.
    static let characters = Self(.characters, "a CPF or CNPJ has only digits and . - / (a CNPJ may also have letters A to Z)")
    /// Neither 11 digits nor 14 characters once the punctuation is dropped.
    static let length = Self(.length, "a CPF has 11 digits and a CNPJ 14")
    /// A letter in the last two positions of a CNPJ, which are always numeric.
    static let letterInCheckDigits = Self(.letterInCheckDigits, "the last two characters of a CNPJ are check digits, never letters")
    /// The check digits are not the ones the rest of the document gives (a typo, usually).
    static func checkDigits(_ kind: Document.Kind) -> Self {
        .init(.checkDigits, "\(kind == .cpf ? "CPF" : "CNPJ") check digits do not match")
    }

    /// The message alone: callers already name the field it belongs to.
    public var description: String { message }
}
