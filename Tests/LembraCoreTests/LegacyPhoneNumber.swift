/// `PhoneNumber.e164` as it was before it read bytes (Characters, `String.filter`): the oracle
/// the byte-level reading is compared with (`PhoneNumberTests.readsBytesAsItReadCharacters`).
enum LegacyPhoneNumber {
    static func e164(_ text: String) -> String? {
        guard text.allSatisfy({ ($0.isASCII && $0.isNumber) || " -.()+".contains($0) }),
              !text.dropFirst().contains("+") else { return nil }
        let digits = text.filter(\.isNumber)
        if text.hasPrefix("+") {
            if digits.hasPrefix("55") { return brazilian(String(digits.dropFirst(2))) }
            return (8...15).contains(digits.count) ? "+" + digits : nil
        }
        if digits.hasPrefix("0") { return [11, 12].contains(digits.count) ? brazilian(String(digits.dropFirst())) : nil }
        if [12, 13].contains(digits.count) && digits.hasPrefix("55") { return brazilian(String(digits.dropFirst(2))) }
        return [10, 11].contains(digits.count) ? brazilian(digits) : nil
    }

    static func brazilian(_ national: String) -> String? {
        let area = national.prefix(2), number = national.dropFirst(2)
        guard area.count == 2, !area.contains("0") else { return nil }
        switch (number.count, number.first) {
        case (9, "9"), (8, "2"), (8, "3"), (8, "4"), (8, "5"): return "+55" + national
        default: return nil
        }
    }
}
