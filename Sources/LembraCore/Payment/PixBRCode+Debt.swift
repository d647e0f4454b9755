/// Codes for debts: the amount and a txid derived from the debt id, so that a payment on the
/// merchant's statement can be matched back to the debt.
extension PixBRCode {
    /// The code for paying `debt` in full.
    public init(debt: Debt, merchant: PixMerchant) throws(PixError) {
        guard debt.currency == "BRL" else { throw .unsupportedCurrency(debt.currency) }
        try self.init(merchant: merchant, amount: debt.amount, txid: Self.txid(fromDebtID: debt.id))
    }

    /// A txid (1...25 ASCII letters and digits) for a debt id, always the same for the same id.
    ///
    /// The id without its other characters when that fits (`DEB-2026-0001` → `DEB20260001`), so
    /// the statement stays readable. Otherwise (longer than 25, or nothing left) the first 12 of
    /// those characters and 13 base-36 digits of the 64-bit FNV-1a hash of the whole id's UTF-8.
    /// FNV-1a because LembraCore may not import Crypto and a txid is a reference, not a secret:
    /// it needs to be stable across runs and platforms (unlike `Hasher`, which is seeded per process).
    /// Ids that differ only in punctuation (`A-1`, `A1`) share a txid; each debt still has its own
    /// amount, and the ledger, not the txid, is what records payments.
    public static func txid(fromDebtID id: String) -> String {
        let kept = String(id.unicodeScalars.filter { $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0) })
        if (1...25).contains(kept.count) { return kept }
        let hash = String(fnv1a64(Array(id.utf8)), radix: 36, uppercase: true)
        return String(kept.prefix(12)) + String(repeating: "0", count: 13 - hash.count) + hash
    }

    /// 64-bit FNV-1a (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
    static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }
}
