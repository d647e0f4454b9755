import Foundation

/// Who receives a Pix payment: the key, and the name and city the payer's app shows before paying.
///
/// Made once from `payment_link: { kind: pix, key, merchant_name, merchant_city }`, so a bad config
/// fails at `check-config` and not in the middle of a tick.
///
/// Text rule: EMV counts a field's length in characters of its (ASCII-based) character set, and
/// banks disagree on what to do with UTF-8 — some count bytes, some characters, some reject it. So
/// the name and city are reduced to printable ASCII, where characters, bytes and UTF-16 units are
/// the same count and every decoder agrees: accents are removed by compatibility decomposition
/// (`São João` → `Sao Joao`, `Ç` → `C`), case is kept as written — the Banco Central example has
/// `Fulano de Tal` beside `BRASILIA` — and anything left without an ASCII form (`ß`, `Ø`, emoji) is
/// an error rather than silently dropped. Limits are checked after this reduction.
public struct PixMerchant: Sendable, Hashable {
    public let key: PixKey
    /// Field 59, at most 25 characters of printable ASCII.
    public let name: String
    /// Field 60, at most 15 characters of printable ASCII.
    public let city: String
    /// The fields of every code of this merchant that only the merchant sets, made once
    /// (`PixBRCode`): those before the amount (00 to 53) and those between it and the txid (58
    /// to 60).
    let fieldsBeforeAmount: [UInt8], fieldsAfterAmount: [UInt8]

    public init(key: String, name: String, city: String) throws(PixError) {
        self.key = try PixKey(key)
        self.name = try Self.emvText(name, field: "merchant_name", limit: 25)
        self.city = try Self.emvText(city, field: "merchant_city", limit: 15)
        (fieldsBeforeAmount, fieldsAfterAmount) = PixBRCode.merchantFields(key: self.key, name: self.name, city: self.city)
    }

    // Equal and hashed by what the config gave; the fields made from it follow.
    public static func == (a: PixMerchant, b: PixMerchant) -> Bool { a.key == b.key && a.name == b.name && a.city == b.city }
    public func hash(into hasher: inout Hasher) { hasher.combine(key); hasher.combine(name); hasher.combine(city) }

    /// `text` trimmed, without accents, checked to be printable ASCII of at most `limit` characters.
    static func emvText(_ text: String, field: String, limit: Int) throws(PixError) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.trimmingCharacters(in: .whitespacesAndNewlines).decomposedStringWithCompatibilityMapping.unicodeScalars {
            if (0x20..<0x7F).contains(scalar.value) {
                out.append(scalar)
            } else if scalar.properties.generalCategory != .nonspacingMark {
                throw .unsupportedCharacter(field, scalar)
            }
        }
        let result = String(out)
        guard !result.isEmpty else { throw .empty(field) }
        guard result.count <= limit else { throw .tooLong(field, length: result.count, limit: limit) }
        return result
    }
}
