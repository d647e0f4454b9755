import Foundation

/// One entry of `channels:`.
public enum ChannelConfig: Sendable, Equatable {
    /// E-mail over SMTP through libcurl.
    case smtp(SMTPChannelConfig)
    /// E-mail written as files into a maildir folder (demo, tests, or a pipeline that picks them up).
    case outbox(OutboxChannelConfig)
}

/// `type: smtp`.
public struct SMTPChannelConfig: Sendable, Equatable {
    /// `smtps://host:465` (implicit TLS) or `smtp://host:587` (STARTTLS unless `tls: none`).
    public var url: String
    /// `implicit`, `starttls` or `none` (loopback hosts only).
    public var tls: String
    public var username: String?
    /// Read at start-up and on reload; never logged.
    public var password: String?
    /// PEM bundle for a private CA.
    public var caFile: String?
    /// The envelope and header sender, e.g. `Cobrança <cobranca@empresa.com.br>`.
    public var from: String
    public var connectTimeout: Double
    public var timeout: Double
}

/// `type: outbox`.
public struct OutboxChannelConfig: Sendable, Equatable {
    /// The maildir folder (`tmp/`, `new/`, `cur/` are created inside).
    public var path: String
    public var from: String
}
