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

    /// A phone must have an E.164 form (`PhoneNumber`), which webhooks carry to SMS and WhatsApp
    /// gateways; one that has none would fail there, at the worst moment, instead of here.
    static func phone(_ v: String) -> String? {
        PhoneNumber.e164(v) == nil ? "not a phone number with area code, like (11) 98765-4321 or +55 11 98765-4321" : nil
    }
}
