import Foundation

/// Reads one JSON object's fields for the payment parsers, with messages that name the field.
struct JSONFields {
    let object: [String: Any]
    /// Where the object sits, for messages: `pix[2]`, or empty for the top level.
    let path: String

    static func parse(_ body: Data) throws(IngressRejection) -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw IngressRejection(.badBody, "the body must be a JSON object")
        }
        return object
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// A non-empty string of at most 200 characters (ids and references; longer is not one).
    func string(_ key: String) throws(IngressRejection) -> String {
        guard let value = object[key] else { throw IngressRejection(.badBody, "\(name(key)): required") }
        guard let s = value as? String, !s.isEmpty, s.count <= 200 else {
            throw IngressRejection(.badBody, "\(name(key)): expected a string of 1 to 200 characters")
        }
        return s
    }

    func instant(_ key: String) throws(IngressRejection) -> Date {
        guard let date = IngressTimestamp.parse(try string(key)) else {
            throw IngressRejection(.badBody, "\(name(key)): expected ISO 8601 with an offset, like 2026-11-18T10:02:31-03:00")
        }
        return date
    }
}
