import Foundation

/// The receiver of `Tests/servers/webhook_receiver.py` on a free loopback port: it verifies
/// every request with the Standard Webhooks reference library (401 when the signature is bad)
/// and records the verified ones. Each receiver has its own random secret.
public final class WebhookReceiver: @unchecked Sendable {
    /// One verified request, as the receiver saw it.
    public struct Received: Decodable, Sendable {
        public let id: String
        public let timestamp: String
        /// Header values keyed by lowercase name.
        public let headers: [String: String]
        /// The body exactly as received (recorded as base64).
        public let body: Data
        /// Client `ip:port`: two requests with the same peer shared a connection.
        public let peer: String
        /// Requests being handled when this one arrived, itself included.
        public let inFlight: Int
        /// Receiver's monotonic clock at arrival, in seconds.
        public let arrived: Double
        /// The status the receiver answered (0: none, with `drop`).
        public let status: Int

        enum CodingKeys: String, CodingKey {
            case id, timestamp, headers, body, peer, arrived, status
            case inFlight = "in_flight"
        }
    }

    private let directory: TemporaryDirectory
    private let server: ServerProcess
    private var record: URL { directory.path("requests.jsonl") }

    /// `whsec_<base64 of 24 random bytes>`, fresh for every receiver.
    public let secret: String
    public var port: Int { server.port }
    private let scheme: String
    /// `http://127.0.0.1:<port>/hook` (`https://` with certificates).
    public var url: String { "\(scheme)://127.0.0.1:\(port)/hook" }
    /// The server's stderr (access log and rejections), for diagnosing failures.
    public var log: String { (try? String(contentsOf: server.logFile, encoding: .utf8)) ?? "" }

    /// - Parameters:
    ///   - status: answer every verified request with this status (500, 429, 410, 400, ...).
    ///   - retryAfter: the `Retry-After` value sent with 429 (seconds or an HTTP-date).
    ///   - stall: seconds to wait before answering (to provoke client timeouts).
    ///   - stallNth: stall on the Nth verified request only (counting from 1), logging `stalling request N`.
    ///   - drop: record each verified request, then close the connection without answering.
    ///   - failFirst: answer `failStatus` to the first N verified requests, then 200.
    ///   - failStatus: what `failFirst` answers (500 unless given).
    ///   - delay: seconds each request takes, so concurrent requests overlap.
    ///   - errorBody: the body of every error answer (default: the signature echoed, then many
    ///     lines with control characters).
    ///   - certificates: serve HTTPS with the server certificate.
    public init(status: Int? = nil, retryAfter: String? = nil, stall: Double? = nil, stallNth: Int? = nil, drop: Bool = false,
                failFirst: Int? = nil, failStatus: Int? = nil, delay: Double? = nil, errorBody: String? = nil, certificates: TestCertificates? = nil) throws {
        var generator = SystemRandomNumberGenerator()
        secret = "whsec_" + Data((0..<24).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
        directory = try TemporaryDirectory("lembra-webhook")
        var arguments = [RepositoryPaths.servers.appendingPathComponent("webhook_receiver.py").path,
                         "--port", "0", "--secret", secret, "--record", directory.path("requests.jsonl").path]
        if let status { arguments += ["--status", String(status)] }
        if let retryAfter { arguments += ["--retry-after", retryAfter] }
        if let stall { arguments += ["--stall", String(stall)] }
        if let stallNth { arguments += ["--stall-nth", String(stallNth)] }
        if drop { arguments.append("--drop") }
        if let failFirst { arguments += ["--fail-first", String(failFirst)] }
        if let failStatus { arguments += ["--fail-status", String(failStatus)] }
        if let delay { arguments += ["--delay", String(delay)] }
        if let errorBody { arguments += ["--error-body", errorBody] }
        if let certificates {
            arguments += ["--tls-cert", certificates.serverCertificate.path, "--tls-key", certificates.serverKey.path]
        }
        scheme = certificates == nil ? "http" : "https"
        server = try ServerProcess(RepositoryPaths.python, arguments, logFile: directory.path("server.log"))
    }

    /// Every verified request so far, in the order the receiver recorded them.
    public func requests() throws -> [Received] {
        let lines = try String(contentsOf: record, encoding: .utf8).split(separator: "\n")
        return try lines.map { try JSONDecoder().decode(Received.self, from: Data($0.utf8)) }
    }

    public func stop() { server.stop() }

    /// Stops the server before its directory is removed.
    deinit { server.stop() }
}
