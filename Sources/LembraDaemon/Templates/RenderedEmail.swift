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
        // Byte-level search and trimming: this runs for every e-mail claimed, and Foundation's
        // NSString-bridged replacingOccurrences/range(of:)/trimmingCharacters and the generic
        // Character search stood out in the delivery profile.
        // The CR search runs on the contiguous bytes: through `String.UTF8View`'s indices it cost
        // about 19 instructions a byte.
        let cr = UInt8(ascii: "\r")
        let hasCR = rendered.utf8.withContiguousStorageIfAvailable { $0.contains(cr) } ?? rendered.utf8.contains(cr)
        let text = hasCR ? rendered.replacing("\r\n", with: "\n") : rendered
        // "Subject: " matched as Characters, so its 9 bytes end on a Character boundary.
        guard text.hasPrefix("Subject: "), let blank = Self.firstBlankLine(text) else { return nil }
        subject = Self.trimmingSpaces(text[text.utf8.index(text.startIndex, offsetBy: 9)..<blank])
        body = String(text[text.utf8.index(blank, offsetBy: 2)...])
        self.to = to
        self.toName = toName
        self.unsubscribeURL = unsubscribeURL
    }

    /// Where the first `\n\n` starts, as the Characters "\n", "\n" (a `\r\n` left by the
    /// replacement above, from `\r\r\n`, is one Character, so its `\n` doesn't start one).
    static func firstBlankLine(_ text: String) -> String.Index? {
        let utf8 = text.utf8
        var beforeLast: UInt8 = 0, last: UInt8 = 0
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let byte = utf8[i]
            if byte == UInt8(ascii: "\n") && last == UInt8(ascii: "\n") && beforeLast != UInt8(ascii: "\r") { return utf8.index(before: i) }
            beforeLast = last
            last = byte
            i = utf8.index(after: i)
        }
        return nil
    }

    /// `trimmingCharacters(in: .whitespaces)` without the trip through NSString: the same set,
    /// Unicode's space separators, U+0009 and (as Foundation has it) U+200B.
    static func trimmingSpaces(_ text: Substring) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(Substring(scalars[first...last]))
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// The ledger payload: a JSON object that `decode` reads. Written by hand, as
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
    /// The stored e-mail in `data`, nil when unreadable. Read by `FlatJSONObject` (what `encoded`
    /// and, before it, JSONEncoder wrote); anything it does not take goes through JSONDecoder,
    /// which then decides as it always did.
    static func decode(_ data: Data) -> RenderedEmail? {
        guard let fields = FlatJSONObject.parse(data) else { return try? JSONDecoder().decode(RenderedEmail.self, from: data) }
        // Absent or null, a required key fails as it does for JSONDecoder; unknown keys are ignored.
        guard let to = fields["to"] ?? nil, let toName = fields["toName"] ?? nil, let subject = fields["subject"] ?? nil,
              let body = fields["body"] ?? nil else { return nil }
        return RenderedEmail(to: to, toName: toName, subject: subject, body: body, unsubscribeURL: fields["unsubscribeURL"] ?? nil)
    }

    private init(to: String, toName: String, subject: String, body: String, unsubscribeURL: String?) {
        self.to = to; self.toName = toName; self.subject = subject; self.body = body; self.unsubscribeURL = unsubscribeURL
    }
}
