import Foundation

/// One entry of `channels:`.
public enum ChannelConfig: Sendable, Equatable {
    /// E-mail over SMTP through libcurl.
    case smtp(SMTPChannelConfig)
    /// E-mail written as files into a maildir folder (demo, tests, or a pipeline that picks them up).
    case outbox(OutboxChannelConfig)
    /// A signed JSON POST (Standard Webhooks) to an SMS / WhatsApp gateway or a CRM.
    case webhook(WebhookChannelConfig)

    /// What the customer must have for this channel to reach them.
    public var requires: WebhookChannelConfig.Requirement {
        switch self {
        case .smtp, .outbox: .email
        case .webhook(let w): w.requires
        }
    }
}

/// `type: webhook`.
public struct WebhookChannelConfig: Sendable, Equatable {
    /// The contact a webhook needs: an SMS gateway needs a phone, a CRM task nothing.
    public enum Requirement: String, Sendable { case phone, email, none }

    public var url: String
    /// `whsec_...`, read from `secret_file`; never logged.
    public var secret: String
    /// Static headers sent with every request (e.g. a gateway's API token).
    public var headers: [String: String]
    public var caFile: String?
    public var connectTimeout: Double
    public var timeout: Double
    public var maxConnections: Int
    /// Requests started per second, at most.
    public var rate: Double?
    /// A task for a person (a CRM call), not a message to the customer: it ignores the caps.
    public var handoff: Bool
    public var requires: Requirement
    /// `check:` — how `check-channels` (and the daemon at start-up and reload) tests the
    /// receiver: `ping` (default) POSTs a signed `lembra.ping` event; `none` skips it.
    public var check: Check = .ping

    public enum Check: String, Sendable { case ping, none }
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
    /// Messages sent at once, each on its own reused connection: it also bounds what a crash can
    /// leave in doubt (the message on the wire per connection; see `ProgressFile`).
    public var maxConnections: Int
    /// Messages started per second, at most; nil: no limit.
    public var rate: Double?
}

/// `type: outbox`.
public struct OutboxChannelConfig: Sendable, Equatable {
    /// The maildir folder (`tmp/`, `new/`, `cur/` are created inside).
    public var path: String
    public var from: String
}
