/// Why a delivery did not happen, in a form that is safe to log.
///
/// Built like Hummingbird's `PersistError`: a struct around a private code, so new steps can be
/// added without breaking callers who `switch`. It carries only codes and a short, scrubbed
/// message: never addresses, names, passwords or bodies (LGPD — these strings end up in logs).
public struct DeliveryError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case config, connect, tls, auth, mailFrom = "mail_from", rcpt, data, timeout
        case invalidMessage = "invalid_message", io, http, request
        case notStarted = "not_started"
    }

    private let code: Code
    /// The libcurl `CURLcode`, when libcurl reported the failure.
    public let curlCode: Int?
    /// The last SMTP reply code or HTTP status the server sent, when there was one.
    public let replyCode: Int?
    /// A short human explanation, scrubbed of anything that looks like an e-mail address, a
    /// phone number, a CPF or a CNPJ (see `PersonalData.scrubbed`).
    public let message: String
    /// For a DATA failure without a reply: whether the end of the message (SMTP's final dot) was
    /// written to the connection. Until it was, the server cannot have accepted the message.
    private let endSent: Bool

    private init(_ code: Code, _ message: String, curlCode: Int? = nil, replyCode: Int? = nil, endSent: Bool = false) {
        self.code = code
        self.message = Self.scrub(message)
        self.curlCode = curlCode
        self.replyCode = replyCode
        self.endSent = endSent
    }

    /// The step that failed, as logged: `config`, `connect`, `tls`, `auth`, `mail_from`, `rcpt`,
    /// `data`, `timeout`, `invalid_message`, `io`, `http` (a webhook receiver answered non-2xx),
    /// `request` (a webhook request went out, or may have, but no whole answer came back) or
    /// `not_started` (held back before it could reach the network).
    public var step: String { code.rawValue }

    /// Whether the receiver may have taken the message despite this failure. A cancelled retry
    /// gives its step back to the planner only when it could not have: a re-plan sends the step
    /// again under a new Message-ID or `webhook-id`, which the receiver can't recognise.
    ///
    /// Proof that it never arrived: a failure before the message went out (connecting, TLS,
    /// AUTH, MAIL FROM, RCPT, a message refused locally), an SMTP reply refusing DATA or the
    /// final dot (a 4xx or 5xx there means the server did not take responsibility for it), a
    /// connection lost before the final dot was written (an SMTP server only takes a message
    /// once it has read that dot), and HTTP 408, 429, 401 or 403 (the receiver says it did not
    /// process the request, or refused its signature or credentials before reading it), and a message held back before it started. Anything else may have arrived: a
    /// timeout or a connection lost after the final dot, a webhook request that went out without
    /// a whole answer coming back (an empty reply, a failed read, a write cut short), and a
    /// webhook's 5xx above all, since a gateway's 502 or 504, or a 500 sent after the work was
    /// done, proves nothing.
    public var mayHaveArrived: Bool {
        switch code {
        case .config, .connect, .tls, .auth, .mailFrom, .rcpt, .invalidMessage, .notStarted: false
        case .data: replyCode == nil && endSent
        case .http: !(replyCode == 408 || replyCode == 429 || replyCode == 401 || replyCode == 403)
        case .timeout, .io, .request: true
        }
    }

    /// Whether the failure is the channel's, not this message's: every message on the channel
    /// would fail the same way until the operator fixes the relay, the receiver or the settings.
    /// Those are the refused login (AUTH 535/534, or 530 "authentication required" to MAIL FROM or
    /// RCPT TO), a TLS handshake or certificate that fails, a name that does not resolve, a refused
    /// connection or a timeout while connecting, and a webhook receiver's 401 or 403 (it refused
    /// the signature or the credentials before looking at the request). Each of these comes
    /// before the message could be taken (`mayHaveArrived` is false for all of them), so the
    /// daemon keeps the messages waiting without spending their tries (`channel_down`).
    public var isChannelWide: Bool {
        switch code {
        case .auth, .tls: true
        case .connect: curlCode.map(Self.connectingCodes.contains) ?? false
        case .mailFrom, .rcpt: replyCode == 530
        case .http: replyCode == 401 || replyCode == 403
        default: false
        }
    }

    /// libcurl's codes for a failure to reach the server at all: proxy or host name not resolved,
    /// connection refused, and a timeout (only ever given to `connect` while connecting).
    private static let connectingCodes: Set<Int> = [5, 6, 7, 28]

    /// Whether the caller held the message back before it could reach the network (`TransferEvents.willStart`).
    public var wasHeldBack: Bool { code == .notStarted }

    /// Whether libcurl's message `text` for a timeout says it happened while connecting
    /// ("Connection timed out after …", "Resolving timed out after …", a TLS handshake timeout).
    static func timedOutConnecting(_ text: String) -> Bool {
        ["Connection timed out", "Resolving timed out", "SSL connection timeout"].contains { text.hasPrefix($0) }
    }

    /// Settings that can never work (bad URL, `tls: none` on a remote host, ...).
    public static func config(_ message: String) -> Self { .init(.config, message) }
    /// The message itself is unusable (header injection, bad address): retrying cannot help.
    public static func invalidMessage(_ message: String) -> Self { .init(.invalidMessage, message) }
    /// A local file-system failure (outbox).
    public static func io(_ message: String) -> Self { .init(.io, message) }
    /// Held back before it could reach the network (the caller's `TransferEvents.willStart` said no).
    static func notStarted(_ message: String) -> Self { .init(.notStarted, message) }

    static func connect(_ m: String, curlCode: Int? = nil, replyCode: Int? = nil) -> Self {
        .init(.connect, m, curlCode: curlCode, replyCode: replyCode)
    }
    static func tls(_ m: String, curlCode: Int?) -> Self { .init(.tls, m, curlCode: curlCode) }
    static func auth(_ m: String, curlCode: Int?, replyCode: Int?) -> Self {
        .init(.auth, m, curlCode: curlCode, replyCode: replyCode)
    }
    static func mailFrom(_ m: String, curlCode: Int?, replyCode: Int?) -> Self {
        .init(.mailFrom, m, curlCode: curlCode, replyCode: replyCode)
    }
    static func rcpt(_ m: String, curlCode: Int?, replyCode: Int?) -> Self {
        .init(.rcpt, m, curlCode: curlCode, replyCode: replyCode)
    }
    /// `endSent`: the final dot was written to the connection (see `mayHaveArrived`).
    static func data(_ m: String, curlCode: Int?, replyCode: Int?, endSent: Bool) -> Self {
        .init(.data, m, curlCode: curlCode, replyCode: replyCode, endSent: endSent)
    }
    static func http(_ m: String, status: Int) -> Self { .init(.http, m, replyCode: status) }
    /// A webhook request that went out, or may have, without a whole answer (see `mayHaveArrived`).
    static func request(_ m: String, curlCode: Int?) -> Self { .init(.request, m, curlCode: curlCode) }
    static func timeout(_ m: String, curlCode: Int?, replyCode: Int?) -> Self {
        .init(.timeout, m, curlCode: curlCode, replyCode: replyCode)
    }

    /// logfmt fields, e.g. `step=rcpt curl_code=55 reply_code=550 error="RCPT failed: 550"`.
    public var description: String {
        var fields = ["step=\(step)"]
        if let curlCode { fields.append("curl_code=\(curlCode)") }
        if let replyCode { fields.append("reply_code=\(replyCode)") }
        let quoted = message.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
        fields.append("error=\"\(quoted)\"")
        return fields.joined(separator: " ")
    }

    /// Keeps messages on one short line and replaces what looks like personal data (libcurl or
    /// a server may echo an address, a phone, a document) so it cannot leak into logs. Cut only
    /// after scrubbing, so nothing survives in part.
    private static func scrub(_ text: String) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline || $0 == "\0" })
        let safe = PersonalData.scrubbed(words.joined(separator: " "))
        return safe.count > 200 ? String(safe.prefix(200)) + "…" : safe
    }
}
