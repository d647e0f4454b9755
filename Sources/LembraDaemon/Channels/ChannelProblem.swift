import LembraDelivery

/// A channel's failure in plain words, with the config key to fix, e.g.
/// `channels.email.password_file: the server refused the login (535)`: what `check-channels`
/// prints and the daemon logs when a channel is down. Only codes and scrubbed text, no secrets.
struct ChannelProblem: Sendable, CustomStringConvertible {
    /// The config key most likely to fix it, e.g. `channels.email.password_file`.
    let key: String
    let message: String

    var description: String { "\(key): \(message)" }

    init(channel: String, error: DeliveryError) {
        let (field, message) = Self.explain(error)
        key = "channels.\(channel).\(field)"
        self.message = message
    }

    init(channel: String, field: String, message: String) {
        key = "channels.\(channel).\(field)"
        self.message = message
    }

    /// The key's last part and the message for `e`.
    private static func explain(_ e: DeliveryError) -> (String, String) {
        let code = e.replyCode.map { " (\($0))" } ?? ""
        let detail = e.message.isEmpty ? "" : ": \(e.message)"
        switch (e.step, e.curlCode) {
        case ("auth", _): return ("password_file", "the server refused the login\(code); check username and password_file")
        case ("mail_from", _) where e.replyCode == 530, ("rcpt", _) where e.replyCode == 530:
            return ("username", "the server requires a login\(code); set username and password_file")
        case ("tls", 64?): return ("tls", "the server does not offer STARTTLS; use an smtps:// url with tls: implicit, or another port")
        case ("tls", 60?), ("tls", 77?), ("tls", 58?):
            return ("ca_file", "the server's certificate does not verify (curl \(e.curlCode ?? 0))\(detail)")
        case ("tls", _): return ("url", "the TLS handshake failed (curl \(e.curlCode ?? 0))\(detail)")
        case ("connect", 5?), ("connect", 6?): return ("url", "the host name does not resolve\(detail)")
        case ("connect", 7?): return ("url", "the connection was refused or the host is unreachable\(detail)")
        case ("connect", 28?): return ("connect_timeout", "timed out connecting to the server\(detail)")
        case ("http", _) where e.replyCode == 401 || e.replyCode == 403:
            return ("secret_file", "the receiver refused the signature or the credentials\(code); check secret_file and headers")
        case ("io", _): return ("path", e.message)
        case ("http", _): return ("url", "the receiver answered\(code)\(detail)")
        default: return ("url", "\(e.step) failed\(code)\(detail)")
        }
    }
}
