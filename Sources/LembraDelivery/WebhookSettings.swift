import Foundation

/// How to reach one webhook receiver (an SMS or WhatsApp gateway, a CRM). Built by the daemon
/// from a `type: webhook` channel; the secret has already been read from its `secret_file`.
///
/// `description` and `customMirror` (used by `dump`) redact the secret and the values of the
/// static headers (they often carry API tokens), so the settings can be logged safely.
public struct WebhookSettings: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// Header names the transport sets itself, or that would corrupt the request if repeated.
    static let reservedHeaders: Set<String> = ["content-type", "content-length", "transfer-encoding", "host", "expect"]

    /// `https://host[:port]/path`; `http://` only for loopback receivers (a local relay, tests),
    /// since the body carries personal data (names, amounts) that must not cross a network in clear.
    public var url: String
    /// The Standard Webhooks signing secret, `whsec_<base64>`.
    public var secret: String
    /// Extra headers sent with every request, in order (e.g. `("authorization", "Bearer ...")`).
    public var headers: [(String, String)]
    /// PEM bundle of CAs to trust instead of the system store (private receivers, tests).
    public var caFile: String?
    /// Seconds allowed to establish a connection (TCP + TLS).
    public var connectTimeout: Double
    /// Seconds allowed for a whole request, connection included.
    public var timeout: Double
    /// Most requests in flight at once (and connections kept open for reuse).
    public var maxConnections: Int
    /// Most requests started per second; nil for no limit. Gateways often throttle per second.
    public var rate: Double?

    public init(url: String, secret: String, headers: [(String, String)] = [], caFile: String? = nil,
                connectTimeout: Double = 10, timeout: Double = 30, maxConnections: Int = 4, rate: Double? = nil) {
        self.url = url
        self.secret = secret
        self.headers = headers
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxConnections = maxConnections
        self.rate = rate
    }

    /// Tuples are not `Equatable`, so the headers are compared pair by pair.
    public static func == (a: Self, b: Self) -> Bool {
        a.url == b.url && a.secret == b.secret && a.caFile == b.caFile
            && a.connectTimeout == b.connectTimeout && a.timeout == b.timeout
            && a.maxConnections == b.maxConnections && a.rate == b.rate
            && a.headers.count == b.headers.count && zip(a.headers, b.headers).allSatisfy { $0 == $1 }
    }

    public var description: String {
        "WebhookSettings(url: \(url), secret: <redacted>, headers: [\(headers.map(\.0).joined(separator: ", "))], "
            + "caFile: \(caFile ?? "none"), connectTimeout: \(connectTimeout), timeout: \(timeout), "
            + "maxConnections: \(maxConnections), rate: \(rate.map { "\($0)" } ?? "none"))"
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["url": url, "secret": "<redacted>", "headers": headers.map { "\($0.0): <redacted>" },
                                "caFile": caFile as Any, "connectTimeout": connectTimeout, "timeout": timeout,
                                "maxConnections": maxConnections, "rate": rate as Any])
    }

    /// Throws a `config` error explaining the first problem: bad URL, plain http to a remote
    /// host, a malformed secret, an unsafe or reserved header, bad timeouts or limits.
    public func validate() throws(DeliveryError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else {
            throw .config("webhook url must look like https://host/path")
        }
        guard let host = components.host, !host.isEmpty else { throw .config("webhook url has no host") }
        guard components.user == nil, components.password == nil else {
            throw .config("webhook url must not carry credentials; use a static authorization header")
        }
        if scheme == "http", !Loopback.contains(host) {
            throw .config("plain http is only allowed for loopback hosts (127.0.0.0/8, ::1, localhost), not \(host)")
        }
        _ = try StandardWebhooks(secret: secret)
        for (name, value) in headers { try Self.validateHeader(name: name, value: value) }
        if let caFile, caFile.isEmpty { throw .config("ca file must not be empty when set") }
        try TransferLimits.validate(connectTimeout: connectTimeout, timeout: timeout, maxConnections: maxConnections, rate: rate)
    }

    /// A name must be an RFC 9110 token and a value must not contain CR, LF or NUL: anything
    /// else would let the config smuggle extra headers or a second request.
    private static func validateHeader(name: String, value: String) throws(DeliveryError) {
        let tokenSymbols = Set("!#$%&'*+-.^_`|~")
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic
                  || ("0"..."9").contains($0) || tokenSymbols.contains(Character($0))) }) else {
            throw .config("header name \"\(name)\" is not a valid HTTP token")
        }
        let lower = name.lowercased()
        guard !lower.hasPrefix("webhook-"), !reservedHeaders.contains(lower) else {
            throw .config("header \(name) is set by the webhook transport and cannot be configured")
        }
        guard !value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
            throw .config("header \(name) has a line break or NUL in its value")
        }
    }
}
