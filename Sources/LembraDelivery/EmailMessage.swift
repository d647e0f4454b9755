import Foundation

/// One e-mail to one recipient, before rendering. Plain text only: reminders are short, and
/// plain text is what every client (and every screen reader) shows reliably.
public struct EmailMessage: Sendable {
    /// The Message-ID without angle brackets, e.g. `attempt-42@lembra.example`. The caller keeps
    /// it stable across retries of the same attempt, so a resend can be recognised as a duplicate.
    public var messageID: String
    public var date: Date
    public var from: EmailAddress
    public var replyTo: EmailAddress?
    public var to: EmailAddress
    public var subject: String
    /// Plain text; any line ending style is accepted and normalised to CRLF.
    public var body: String
    /// Extra headers in order, e.g. `("List-Unsubscribe", "<mailto:...>")`. Names the renderer
    /// writes itself (From, To, Subject, Date, ...) are refused.
    public var headers: [(String, String)]

    public init(messageID: String, date: Date, from: EmailAddress, replyTo: EmailAddress? = nil,
                to: EmailAddress, subject: String, body: String, headers: [(String, String)] = []) {
        self.messageID = messageID
        self.date = date
        self.from = from
        self.replyTo = replyTo
        self.to = to
        self.subject = subject
        self.body = body
        self.headers = headers
    }
}
