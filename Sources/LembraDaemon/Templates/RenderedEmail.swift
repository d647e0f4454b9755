import Foundation

/// A rendered e-mail as stored in the ledger's payload, so a retry or an in-doubt re-send sends
/// exactly what was claimed, even if the data or templates changed since.
struct RenderedEmail: Decodable, Sendable, Equatable {
    var to: String
    var toName: String
    var subject: String
    var body: String
    /// `List-Unsubscribe` (RFC 2369) and `List-Unsubscribe-Post` (RFC 8058) when an unsubscribe
    /// URL is configured; nil otherwise (and in payloads stored before the key existed).
    var unsubscribeURL: String?

    /// The extra headers the message carries.
    var headers: [(String, String)] {
        guard let unsubscribeURL else { return [] }
        return [("List-Unsubscribe", "<\(unsubscribeURL)>"), ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
    }

    /// Splits an e-mail template's output: `Subject: ...`, a blank line, then the body.
    init?(rendered: String, to: String, toName: String, unsubscribeURL: String? = nil) {
        // Standard-library string search: this runs for every e-mail claimed, and Foundation's
        // NSString-bridged replacingOccurrences/range(of:) stood out in the delivery profile.
        let text = rendered.utf8.contains(UInt8(ascii: "\r")) ? rendered.replacing("\r\n", with: "\n") : rendered
        guard text.hasPrefix("Subject: "), let blank = text.firstRange(of: "\n\n") else { return nil }
        subject = String(text[text.index(text.startIndex, offsetBy: 9)..<blank.lowerBound]).trimmingCharacters(in: .whitespaces)
        body = String(text[blank.upperBound...])
        self.to = to
        self.toName = toName
        self.unsubscribeURL = unsubscribeURL
    }

    /// The ledger payload: a JSON object that `decode` (JSONDecoder) reads. Written by hand, as
    /// JSONEncoder's cost showed in the tick's profile; keys in declaration order (JSONEncoder
    /// without `.sortedKeys` used no fixed order), `unsubscribeURL` left out when nil.
    func encoded() -> Data {
        var w = JSONWriter(escapingSlashes: false, sortedKeys: false, capacity: body.utf8.count + subject.utf8.count + 256)
        w.beginObject()
        w.field("to", to)
        w.field("toName", toName)
        w.field("subject", subject)
        w.field("body", body)
        w.field("unsubscribeURL", unsubscribeURL)
        w.endObject()
        return w.data
    }
    static func decode(_ data: Data) -> RenderedEmail? { try? JSONDecoder().decode(RenderedEmail.self, from: data) }
}
