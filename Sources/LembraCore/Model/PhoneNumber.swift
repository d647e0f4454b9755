/// A phone number in E.164 (`+5511987654321`), the form SMS and WhatsApp gateways take, read
/// from what a spreadsheet holds. The customer's phone is stored as written (templates show it
/// so); webhooks carry this form beside it (`phone_e164`).
///
/// Without `+`, a number is Brazilian, in any of the ways people write one: `(11) 98765-4321`,
/// `11 98765-4321`, `011 98765-4321` (trunk prefix 0), `55 11 98765-4321`, landlines with eight
/// digits `(11) 3456-7890`. Spaces, `-`, `.`, `(` and `)` are layout only. A Brazilian number
/// is an area code (two digits, neither 0) and either nine digits starting with 9 (mobile) or
/// eight starting with 2 to 5 (landline); anything else is refused, not sent to a stranger.
/// With `+`, any country code: Brazilian numbers are checked as above, others taken as they are
/// (8 to 15 digits, E.164's limit).
public enum PhoneNumber {
    /// E.164 for `text`, or nil when it is not a phone number by the rules above.
    ///
    /// Read on bytes (every webhook carries it): only ASCII passes the first check, and there a
    /// byte is a character.
    public static func e164(_ text: String) -> String? {
        let bytes = text.utf8
        guard bytes.allSatisfy({ isDigit($0) || isLayout($0) }),
              !bytes.dropFirst().contains(UInt8(ascii: "+")) else { return nil }
        let digits = bytes.filter(isDigit)[...]
        let country = digits.starts(with: "55".utf8)
        if bytes.first == UInt8(ascii: "+") {
            if country { return brazilian(digits.dropFirst(2)) }
            return (8...15).contains(digits.count) ? "+" + String(decoding: digits, as: UTF8.self) : nil
        }
        if digits.first == UInt8(ascii: "0") { return (11...12).contains(digits.count) ? brazilian(digits.dropFirst()) : nil }
        if (12...13).contains(digits.count) && country { return brazilian(digits.dropFirst(2)) }
        return (10...11).contains(digits.count) ? brazilian(digits) : nil
    }

    /// What may stand between the digits: layout only (` -.()+`). A switch, not a `Set`: hashing
    /// each byte cost more than the rest of the check.
    private static func isLayout(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "+"): true
        default: false
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    /// `+55` and `national` (area code and number, digits only) when that is a Brazilian number.
    static func brazilian(_ national: ArraySlice<UInt8>) -> String? {
        let area = national.prefix(2), number = national.dropFirst(2)
        guard area.count == 2, !area.contains(UInt8(ascii: "0")) else { return nil }
        switch (number.count, number.first) {
        case (9, .some(UInt8(ascii: "9"))), (8, .some(UInt8(ascii: "2")...UInt8(ascii: "5"))): return "+55" + String(decoding: national, as: UTF8.self)
        default: return nil
        }
    }
}
