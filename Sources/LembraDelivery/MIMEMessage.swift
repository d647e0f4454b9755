import Foundation
internal import LembraCore

/// An `EmailMessage` rendered to RFC 5322 bytes: CRLF line endings, header lines ≤ 78 chars,
/// RFC 2047 encoded-words for non-ASCII header text, a quoted-printable UTF-8 text/plain body.
///
/// Pure: the same message always renders to the same bytes, which is what lets SMTP and the
/// outbox share it and lets tests compare output. Rendering throws `invalid_message` for CR, LF
/// or NUL in any header value or id, which is how header injection is stopped.
public struct MIMEMessage: Sendable {
    /// The full message, ready for SMTP DATA (libcurl does the dot-stuffing) or a maildir file.
    public let bytes: [UInt8]

    /// Headers the renderer owns; extra headers may not override them.
    private static let reserved: Set<String> = [
        "date", "from", "reply-to", "to", "cc", "bcc", "subject", "message-id", "mime-version",
        "content-type", "content-transfer-encoding",
    ]

    public init(rendering message: EmailMessage) throws(DeliveryError) {
        try self.init(rendering: message, subjects: nil)
    }

    /// As `init(rendering:)`, the Subject line taken from `subjects` when it is the last one's.
    init(rendering message: EmailMessage, subjects: SubjectLine?) throws(DeliveryError) {
        try Self.checkMessageID(message.messageID)
        try Self.checkValue(message.subject, "subject")
        var lines = [
            HeaderEncoding.fold("Date", [Self.rfc5322Date(message.date)]),
            HeaderEncoding.fold("From", message.from.headerTokens),
        ]
        if let replyTo = message.replyTo {
            lines.append(HeaderEncoding.fold("Reply-To", replyTo.headerTokens))
        }
        lines.append(HeaderEncoding.fold("To", message.to.headerTokens))
        lines.append(subjects?.line(for: message.subject) ?? SubjectLine.make(message.subject))
        lines.append("Message-ID: <\(message.messageID)>")
        for (name, value) in message.headers {
            try Self.checkExtraHeader(name, value)
            let line = "\(name): \(value)"
            // Written verbatim when it fits; folded at spaces only when it has to be.
            lines.append(line.utf8.count <= HeaderEncoding.maxLineLength
                ? line : HeaderEncoding.fold(name, value.split(separator: " ").map(String.init)))
        }
        lines += [
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: quoted-printable",
        ]
        // Each header line and the blank line after them go straight into the bytes, and the
        // body is encoded after them, not through a String of its own.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024 + message.body.utf8.count * 5 / 4)
        for line in lines { bytes += line.utf8; bytes += [0x0D, 0x0A] }
        bytes += [0x0D, 0x0A]
        QuotedPrintable.encode(message.body, into: &bytes)
        bytes += [0x0D, 0x0A]
        self.bytes = bytes
    }

    private static func checkValue(_ value: String, _ what: String) throws(DeliveryError) {
        if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw .invalidMessage("\(what) contains CR, LF or NUL")
        }
    }

    private static func checkMessageID(_ id: String) throws(DeliveryError) {
        try checkValue(id, "message id")
        let printable = id.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && $0 != "<" && $0 != ">" }
        // Printable ASCII by now: a byte is a character.
        guard printable, id.utf8.count(where: { $0 == UInt8(ascii: "@") }) == 1,
              id.utf8.first != UInt8(ascii: "@"), id.utf8.last != UInt8(ascii: "@") else {
            throw .invalidMessage("message id must be printable ASCII left@right without <>")
        }
    }

    private static func checkExtraHeader(_ name: String, _ value: String) throws(DeliveryError) {
        let validName = !name.isEmpty && name.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && $0 != ":" }
        guard validName else { throw .invalidMessage("invalid extra header name") }
        guard !reserved.contains(name.lowercased()) else {
            throw .invalidMessage("extra header \(name) would override a standard header")
        }
        try checkValue(value, "header \(name)")
        guard value.allSatisfy(\.isASCII) else { throw .invalidMessage("header \(name) must be ASCII") }
    }

    /// `Sun, 29 Nov 2026 01:49:40 +0000`: English names and a numeric zone regardless of the
    /// machine's locale, always in UTC so output does not depend on where the daemon runs.
    /// Worked out from the seconds since 1970 (`CalendarDate`'s civil arithmetic), not through a
    /// Foundation `Calendar`, which cost a calendar and its components for every e-mail.
    static func rfc5322Date(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = CalendarDate(dayNumber: Int((Double(seconds) / 86_400).rounded(.down)))
        let time = seconds - day.dayNumber * 86_400
        let (year, month, dayOfMonth) = day.components
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekdays[day.isoWeekday % 7]), \(dayOfMonth) \(months[month - 1]) \(year) "
            + "\(two(time / 3600)):\(two(time / 60 % 60)):\(two(time % 60)) +0000"
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
