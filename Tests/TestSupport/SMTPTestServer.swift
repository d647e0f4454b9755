import Foundation

/// The aiosmtpd server of `Tests/servers/smtp_server.py`, on a free loopback port, delivering
/// into its own maildir. Fault options make it answer like a failing relay.
public final class SMTPTestServer: @unchecked Sendable {
    public enum FaultStep: String, Sendable { case rcpt, data }

    private let directory: TemporaryDirectory
    private let server: ServerProcess

    public var port: Int { server.port }
    /// `smtp://127.0.0.1:<port>`.
    public var url: String { "smtp://127.0.0.1:\(port)" }
    /// The maildir the server writes accepted messages into (`new/`).
    public var maildir: URL { directory.path("maildir") }
    /// The server's stderr, for diagnosing failures.
    public var log: String { (try? String(contentsOf: server.logFile, encoding: .utf8)) ?? "" }

    /// - Parameters:
    ///   - auth: `USER:PASS` to require AUTH PLAIN/LOGIN.
    ///   - certificates: offer and require STARTTLS with the server certificate.
    ///   - replyCode: answer 421, 451 or 550 at `faultStep` instead of accepting.
    ///   - dropInData: answer DATA with 354, then close the connection.
    ///   - stall: seconds to wait before answering the end of DATA.
    ///   - stallNth: stall on the Nth message only (counting from 1), logging `stalling message N`.
    ///   - faultCount: misbehave for the first N messages only (default: all of them).
    ///   - rejectRecipients: answer RCPT TO these addresses with 550, whatever the other options.
    public init(auth: String? = nil, certificates: TestCertificates? = nil, replyCode: Int? = nil,
                faultStep: FaultStep = .rcpt, dropInData: Bool = false, stall: Double? = nil, stallNth: Int? = nil,
                faultCount: Int? = nil, rejectRecipients: [String] = []) throws {
        directory = try TemporaryDirectory("lembra-smtp")
        var arguments = [RepositoryPaths.servers.appendingPathComponent("smtp_server.py").path,
                         "--port", "0", "--maildir", directory.path("maildir").path]
        if let auth { arguments += ["--auth", auth] }
        if let certificates {
            arguments += ["--tls-cert", certificates.serverCertificate.path, "--tls-key", certificates.serverKey.path]
        }
        if let replyCode { arguments += ["--reply-code", String(replyCode), "--fault-step", faultStep.rawValue] }
        if dropInData { arguments.append("--drop-in-data") }
        if let stall { arguments += ["--stall", String(stall)] }
        if let stallNth { arguments += ["--stall-nth", String(stallNth)] }
        if let faultCount { arguments += ["--fault-count", String(faultCount)] }
        for address in rejectRecipients { arguments += ["--reject-rcpt", address] }
        server = try ServerProcess(RepositoryPaths.python, arguments, logFile: directory.path("server.log"))
    }

    /// The raw bytes of every delivered message, in delivery order.
    public func messages() throws -> [Data] {
        let new = maildir.appendingPathComponent("new")
        let names = try FileManager.default.contentsOfDirectory(atPath: new.path)
        // Names are "<pid>.<counter>.eml": order by the counter.
        let ordered = names.sorted { Self.counter($0) < Self.counter($1) }
        return try ordered.map { try Data(contentsOf: new.appendingPathComponent($0)) }
    }

    private static func counter(_ name: String) -> Int {
        let parts = name.split(separator: ".")
        return parts.count > 1 ? Int(parts[1]) ?? 0 : 0
    }

    public func stop() { server.stop() }

    /// Stops the server before its maildir is removed.
    deinit { server.stop() }
}
