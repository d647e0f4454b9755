/// Codes for debts: the amount and a txid derived from the debt id, so that a payment on the
/// merchant's statement can be matched back to the debt.
extension PixBRCode {
    /// The code for paying `debt` in full.
    public init(debt: Debt, merchant: PixMerchant) throws(PixError) {
        guard debt.currency == "BRL" else { throw .unsupportedCurrency(debt.currency) }
        try self.init(merchant: merchant, amount: debt.amount, txid: Self.txid(fromDebtID: debt.id))
    }

    /// A txid (1...25 ASCII letters and digits) for a debt id: always the same for the same id,
    /// and different for different ids, so a statement reference points at one debt.
    ///
    /// - An id that already is a txid (1 to 25 ASCII letters and digits) is used as it is
    ///   (`DEB20260001` → `DEB20260001`), so the statement stays readable.
    /// - Any other id (punctuation, more than 25 characters, empty) becomes its first 12 ASCII
    ///   letters and digits, for a person to recognise, then 13 base-36 digits of the 64-bit
    ///   FNV-1a hash of the whole id's UTF-8 (`DEB-2026-0001` → `DEB20260001` + 13 digits). The
    ///   hash covers the exact id, so `A-1` and `A1`, or two long ids sharing their first 25
    ///   letters and digits, get different txids; dropping punctuation or truncating alone would
    ///   merge them.
    ///
    /// FNV-1a because LembraCore may not import Crypto and a txid is a reference, not a secret:
    /// it must be stable across runs and platforms (unlike `Hasher`, which is seeded per process)
    /// and tell a business's own ids apart, which 64 bits do: among n hashed ids the chance that
    /// any two share a hash is about n²/2⁶⁵ (3 in 10¹⁰ for 100,000 ids, 3 in 10⁸ for a million),
    /// and they would also need the same 12-character prefix. It is not collision-resistant
    /// against someone crafting ids on purpose; ids come from the business's own files.
    public static func txid(fromDebtID id: String) -> String {
        // On UTF-8 bytes: a byte that is an ASCII letter or digit is always a whole scalar (those
        // of other scalars are all 0x80 or above), so counting and filtering bytes is counting and
        // filtering the id's letters and digits.
        if (1...25).contains(id.utf8.count), id.utf8.allSatisfy(isTxidByte) { return id }
        let readable = String(decoding: id.utf8.lazy.filter(isTxidByte).prefix(12), as: UTF8.self)
        let hash = String(fnv1a64(id.utf8), radix: 36, uppercase: true)
        return readable + String(repeating: "0", count: 13 - hash.count) + hash
    }

    /// What field 62-05 allows, as UTF-8: ASCII letters and digits.
    static func isTxidByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: false
        }
    }

    /// 64-bit FNV-1a (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
    static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }
}
