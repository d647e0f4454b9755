@testable import LembraCore

/// `PhoneNumber.e164` as it was before it read bytes (Characters, `String.filter`): the oracle
/// the byte-level reading is compared with (`PhoneNumberTests.readsBytesAsItReadCharacters`).
enum LegacyPhoneNumber {
    static func e164(_ text: String) -> String? {
        guard text.allSatisfy({ ($0.isASCII && $0.isNumber) || " -.()+".contains($0) }),
              !text.dropFirst().contains("+") else { return nil }
        let digits = text.filter(\.isNumber)
        if text.hasPrefix("+") {
            if digits.hasPrefix("55") { return PhoneNumber.brazilian(String(digits.dropFirst(2))) }
            return (8...15).contains(digits.count) ? "+" + digits : nil
        }
        if digits.hasPrefix("0") { return [11, 12].contains(digits.count) ? PhoneNumber.brazilian(String(digits.dropFirst())) : nil }
        if [12, 13].contains(digits.count) && digits.hasPrefix("55") { return PhoneNumber.brazilian(String(digits.dropFirst(2))) }
        return [10, 11].contains(digits.count) ? PhoneNumber.brazilian(digits) : nil
    }
}
