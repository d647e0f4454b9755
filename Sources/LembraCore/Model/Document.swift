/// A Brazilian taxpayer id whose check digits match: a CPF (11 digits) or a CNPJ (14 characters).
///
/// From July 2026 the Receita Federal issues alphanumeric CNPJs: the first 12 positions may be
/// digits or letters A–Z, the last 2 stay numeric check digits, and the mask stays
/// `XX.XXX.XXX/XXXX-XX` (`12.ABC.345/01DE-35`). Numeric CNPJs keep their meaning, so one rule
/// covers both. The Receita writes the letters in uppercase; people type them in lowercase too,
/// and since the mapping is one-to-one, lowercase is accepted and uppercased here rather than
/// refused (`12.abc.345/01de-35` is the same CNPJ). CPFs stay digits only.
public struct Document: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case cpf, cnpj
    }

    public let kind: Kind
    /// Without punctuation: 11 digits for a CPF; for a CNPJ 12 digits or uppercase letters and
    /// 2 check digits. This is the form a Pix key carries.
    public let value: String

    /// Punctuation people write between the characters; it carries no meaning and is dropped.
    static let separators: Set<Unicode.Scalar> = [".", "-", "/", " "]

    /// Accepts the id with or without its mask, and lowercase CNPJ letters.
    public init(_ text: String) throws(DocumentError) {
        guard text.unicodeScalars.allSatisfy({ Self.isDigit($0) || Self.isLetter($0) || Self.separators.contains($0) }) else {
            throw .characters
        }
        let characters = Array(text.uppercased().unicodeScalars.filter { !Self.separators.contains($0) })
        switch characters.count {
        case 11 where characters.allSatisfy(Self.isDigit):
            try Self.check(characters, kind: .cpf, firstWeights: Array((2...10).reversed()))
            kind = .cpf
        case 14:
            guard characters.suffix(2).allSatisfy(Self.isDigit) else { throw .letterInCheckDigits }
            try Self.check(characters, kind: .cnpj, firstWeights: [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
            kind = .cnpj
        default:
            throw .length
        }
        value = String(String.UnicodeScalarView(characters))
    }

    /// nil when `text` is a valid CPF or CNPJ; otherwise the problem, for the operator (CSV and
    /// config errors show it beside the column or key).
    public static func validate(_ text: String) -> String? {
        do throws(DocumentError) {
            _ = try Document(text)
            return nil
        } catch {
            return error.description
        }
    }

    /// Both check digits under the mod-11 rule, and not all characters the same: `111.111.111-11`
    /// and `00.000.000/0000-00` pass the arithmetic but were never issued.
    private static func check(_ characters: [Unicode.Scalar], kind: Kind, firstWeights: [Int]) throws(DocumentError) {
        let values = characters.map { Int($0.value) - 48 }
        let secondWeights = [firstWeights[0] + 1] + firstWeights
        guard CheckDigit.mod11(values, weights: firstWeights) == values[firstWeights.count],
              CheckDigit.mod11(values, weights: secondWeights) == values[secondWeights.count],
              Set(characters).count > 1
        else { throw .checkDigits(kind) }
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
    private static func isLetter(_ s: Unicode.Scalar) -> Bool { ("A"..."Z").contains(s) || ("a"..."z").contains(s) }
}
