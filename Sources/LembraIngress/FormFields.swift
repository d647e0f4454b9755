import Foundation

/// `name=value&…` as in a URL query or an `application/x-www-form-urlencoded` body, decoded
/// (`+` is a space). nil when a name repeats or a value is not valid percent-encoded UTF-8: a
/// signed link is read exactly one way.
enum FormFields {
    static func parse(_ text: Substring) -> [String: String]? {
        var fields: [String: String] = [:]
        for item in text.split(separator: "&") {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count == 2 ? parts[1] : ""),
                  fields.updateValue(value, forKey: name) == nil else { return nil }
        }
        return fields
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
