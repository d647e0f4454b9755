/// A static Pix "copia e cola" code (EMV BR Code): the text a customer pastes into a bank app to
/// pay, with the amount and a reference already filled in.
///
/// Follows the Manual de Padrões para Iniciação do Pix (Banco Central) for static codes:
///
/// | id | content |
/// |----|---------|
/// | 00 | payload format `01` |
/// | 26 | merchant account: 00 `br.gov.bcb.pix`, 01 the key |
/// | 52 | merchant category `0000` |
/// | 53 | currency `986` (BRL) |
/// | 54 | amount `123.45`, omitted when the payer types it |
/// | 58 | country `BR` |
/// | 59 | merchant name, ≤ 25 |
/// | 60 | merchant city, ≤ 15 |
/// | 62 | additional data: 05 txid, ≤ 25 alphanumerics, or `***` for none |
/// | 63 | CRC-16/CCITT-FALSE over everything before it, `6304` included, 4 uppercase hex digits |
///
/// Each field is `id`, a two-digit length and the value. Every value here is printable ASCII (see
/// `PixMerchant`), so that length is characters and bytes alike. The Banco Central example
/// (`...62070503***63041D3D`) is reproduced byte for byte by the tests.
public struct PixBRCode: Sendable, Hashable, CustomStringConvertible {
    public let merchant: PixMerchant
    /// nil: the payer types the amount.
    public let amount: Money?
    /// Field 62/05: the reference the merchant sees on the statement, `***` when there is none.
    public let txid: String
    /// The copia-e-cola text.
    public let payload: String

    /// The largest amount field 54 holds (13 characters: `9999999999.99`).
    static let maxAmount = Money(cents: 999_999_999_999)

    /// - Parameters:
    ///   - amount: must be positive; nil leaves the amount to the payer.
    ///   - txid: 1...25 ASCII letters and digits, or `***`; nil means `***`. See `txid(fromDebtID:)`.
    public init(merchant: PixMerchant, amount: Money? = nil, txid: String? = nil) throws(PixError) {
        if let amount {
            guard amount.cents > 0 else { throw .invalidAmount("a Pix amount must be positive") }
            guard amount <= Self.maxAmount else { throw .invalidAmount("a Pix amount is at most 9999999999.99") }
        }
        let txid = txid ?? "***"
        // On UTF-8 bytes: all ASCII letters and digits means as many characters as bytes, and no
        // Unicode property lookups per character (this runs for every reminder with a Pix code).
        guard txid == "***" || (1...25).contains(txid.utf8.count) && txid.utf8.allSatisfy(Self.isTxidByte) else {
            throw .invalidTxid("a txid is 1 to 25 ASCII letters and digits, or ***")
        }
        self.merchant = merchant; self.amount = amount; self.txid = txid

        let account = Self.field("00", "br.gov.bcb.pix") + Self.field("01", merchant.key.value)
        var body = Self.field("00", "01") + Self.field("26", account) + Self.field("52", "0000") + Self.field("53", "986")
        if let amount { body += Self.field("54", amount.decimalString) }
        body += Self.field("58", "BR") + Self.field("59", merchant.name) + Self.field("60", merchant.city)
            + Self.field("62", Self.field("05", txid)) + "6304"
        payload = body + Self.hex4(CRC16.ccittFalse(body.utf8))
    }

    public var description: String { payload }

    /// One TLV field. Callers have validated every value, so a length over 99 is a bug here.
    static func field(_ id: String, _ value: String) -> String {
        let length = value.utf8.count
        precondition(length <= 99, "BR Code field \(id) is \(length) bytes long")
        return id + (length < 10 ? "0" : "") + String(length) + value
    }

    /// Four uppercase hexadecimal digits, zero-padded.
    static func hex4(_ value: UInt16) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - hex.count) + hex
    }
}
