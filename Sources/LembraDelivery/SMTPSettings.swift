import Foundation

/// How to reach the SMTP relay. Built by the daemon from config; the password has already been
/// read from its `password_file`.
///
/// `description` and `customMirror` (used by `dump`) redact the password, so the settings can be
/// logged or printed safely.
public struct SMTPSettings: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    public enum TLS: String, Sendable, Equatable {
        /// TLS from the first byte (`smtps://`, port 465).
        case implicit
        /// Plain connection upgraded with STARTTLS; the upgrade is required, never optional.
        case starttls
        /// No encryption at all (config value `none`): only accepted for loopback relays (a local
        /// Postfix, tests). Not spelled `.none` in Swift, where `tls: .none` would silently mean nil.
        case disabled = "none"
    }

    /// `smtp://host:port` or `smtps://host:port`, without a path.
    public var url: String
    public var tls: TLS
    public var username: String?
    public var password: String?
    /// PEM bundle of CAs to trust instead of the system store (private relays, tests).
    public var caFile: String?
    /// The EHLO name; libcurl's default is used when nil.
    public var heloName: String?
    /// Seconds allowed to establish the connection (TCP + TLS).
    public var connectTimeout: Double
    /// Seconds allowed for a whole transfer, connection included.
    public var timeout: Double
    /// Most messages in flight at once, each on its own connection (kept open for reuse).
    public var maxConnections: Int
    /// Messages started per second across all connections, at most (a relay's sending quota); nil: no limit.
    public var rate: Double?

    /// `tls` defaults to `implicit` for `smtps://` and `starttls` for anything else.
    public init(url: String, tls: TLS? = nil, username: String? = nil, password: String? = nil,
                caFile: String? = nil, heloName: String? = nil,
                connectTimeout: Double = 10, timeout: Double = 60, maxConnections: Int = 4, rate: Double? = nil) {
        self.url = url
        self.tls = tls ?? (url.lowercased().hasPrefix("smtps://") ? .implicit : .starttls)
        self.username = username
        self.password = password
        self.caFile = caFile
        self.heloName = heloName
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxConnections = maxConnections
        self.rate = rate
    }

    public var description: String {
        "SMTPSettings(url: \(url), tls: \(tls.rawValue), username: \(username == nil ? "none" : "set"), "
            + "password: \(password == nil ? "none" : "<redacted>"), caFile: \(caFile ?? "none"), "
            + "connectTimeout: \(connectTimeout), timeout: \(timeout), maxConnections: \(maxConnections), rate: \(rate.map { "\($0)" } ?? "none"))"
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["url": url, "tls": tls, "username": username as Any,
                                "password": password == nil ? "none" : "<redacted>", "caFile": caFile as Any,
                                "heloName": heloName as Any, "connectTimeout": connectTimeout, "timeout": timeout,
                                "maxConnections": maxConnections, "rate": rate as Any])
    }

    /// Throws a `config` error explaining the first problem: bad URL, a TLS mode that contradicts
    /// the scheme, `tls: none` for a non-loopback host, a password without user, bad timeouts.
    public func validate() throws(DeliveryError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "smtp" || scheme == "smtps" else {
            throw .config("smtp url must look like smtp://host:port or smtps://host:port")
        }
        guard let host = components.host, !host.isEmpty else { throw .config("smtp url has no host") }
        guard components.path.isEmpty || components.path == "/", components.query == nil,
              components.user == nil, components.password == nil else {
            throw .config("smtp url must not carry a path, query or credentials; use username and password_file")
        }
        switch (scheme, tls) {
        case ("smtps", .starttls), ("smtps", .disabled):
            throw .config("smtps:// always uses implicit TLS; use smtp:// for tls \(tls.rawValue)")
        case ("smtp", .implicit):
            throw .config("tls implicit needs an smtps:// url")
        default: break
        }
        if tls == .disabled, !Loopback.contains(host) {
            throw .config("tls none is only allowed for loopback hosts (127.0.0.0/8, ::1, localhost), not \(host)")
        }
        if password != nil, username == nil { throw .config("a password needs a username") }
        if let heloName, heloName.isEmpty || !heloName.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.".contains($0)) }) {
            throw .config("helo name must be a host name")
        }
        try TransferLimits.validate(connectTimeout: connectTimeout, timeout: timeout, maxConnections: maxConnections, rate: rate)
    }

    /// libcurl's URL: the EHLO name travels as the path, per libcurl's SMTP URL syntax.
    var curlURL: String {
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        return base + "/" + (heloName ?? "")
    }
}
