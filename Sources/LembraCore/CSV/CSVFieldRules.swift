import Foundation

/// Field checks shared by the CSV decoders. Each returns a message for the operator, or nil when fine.
enum CSVFieldRules {
    /// Control characters (CR, LF, NUL, ...) never belong in a field that ends up in a header or message.
    static func controlCharacters(_ v: String) -> String? {
        v.unicodeScalars.contains { $0.properties.generalCategory == .control } ? "contains control characters (line breaks, tabs or NUL)" : nil
    }

    /// Spreadsheet formula starters: such a value would run as a formula when exported back to a sheet.
    static func formula(_ v: String) -> String? {
        guard let first = v.first, "=+@".contains(first) || (first == "-" && v.count > 1 && !v.dropFirst().allSatisfy(\.isNumber)) else { return nil }
        return "starts with '\(first)', which spreadsheets run as a formula"
    }

    static func id(_ v: String) -> String? {
        guard v.count <= 64, v.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }) else {
            return "ids are 1 to 64 letters, digits, '-', '_', '.' or ':'"
        }
        return nil
    }

    /// `EmailAddressSyntax`, the rule delivery applies too, so an address that imports can be sent to.
    static func email(_ v: String) -> String? {
        EmailAddressSyntax.problem(v).map { "not an e-mail address: \($0)" }
    }

    static func phone(_ v: String) -> String? {
        let digits = v.filter { $0.isASCII && $0.isNumber }
        guard v.allSatisfy({ ($0.isASCII && $0.isNumber) || " +-()".contains($0) }), (10...15).contains(digits.count) else {
            return "not a phone number with area code, like +55 11 91234-5678"
        }
        return nil
    }
}
