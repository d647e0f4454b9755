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

        // Built on bytes: every reminder with a Pix code builds one, and a dozen String
        // concatenations cost it about 25,000 instructions (most of composing a webhook's facts).
        // The merchant's own fields are made once (`PixMerchant`).
        var body = merchant.fieldsBeforeAmount
        body.reserveCapacity(160)
        if let amount { Self.append("54", amount.decimalString.utf8, to: &body) }
        body += merchant.fieldsAfterAmount
        var additional: [UInt8] = []
        Self.append("05", txid.utf8, to: &additional)
        Self.append("62", additional, to: &body)
        body += "6304".utf8
        Self.appendHex4(CRC16.ccittFalse(body), to: &body)
        payload = String(decoding: body, as: UTF8.self)
    }

    /// The fields before the amount (00 to 53) and between it and the txid (58 to 60), which
    /// depend on the merchant alone.
    static func merchantFields(key: PixKey, name: String, city: String) -> (beforeAmount: [UInt8], afterAmount: [UInt8]) {
        var account: [UInt8] = []
        append("00", "br.gov.bcb.pix".utf8, to: &account)
        append("01", key.value.utf8, to: &account)
        var before: [UInt8] = []
        append("00", "01".utf8, to: &before)
        append("26", account, to: &before)
        append("52", "0000".utf8, to: &before)
        append("53", "986".utf8, to: &before)
        var after: [UInt8] = []
        append("58", "BR".utf8, to: &after)
        append("59", name.utf8, to: &after)
        append("60", city.utf8, to: &after)
        return (before, after)
    }

    public var description: String { payload }

    /// Appends one TLV field to `out`. Callers have validated every value, so a length over 99
    /// is a bug here.
    static func append(_ id: String, _ value: some Collection<UInt8>, to out: inout [UInt8]) {
        let length = value.count
        precondition(length <= 99, "BR Code field \(id) is \(length) bytes long")
        out += id.utf8
        out.append(UInt8(ascii: "0") + UInt8(length / 10))
        out.append(UInt8(ascii: "0") + UInt8(length % 10))
        out += value
    }

    /// Four uppercase hexadecimal digits, zero-padded.
    static func appendHex4(_ value: UInt16, to out: inout [UInt8]) {
        let digits: StaticString = "0123456789ABCDEF"
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(digits.utf8Start[Int(value >> UInt16(shift) & 0xF)])
        }
    }
}
