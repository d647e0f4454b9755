import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A test-bound `$NOTIFY_SOCKET`: a Unix datagram socket that collects what the daemon tells
/// systemd (`READY=1`, `STATUS=...`, `WATCHDOG=1`, `STOPPING=1`).
public final class NotifySocket: @unchecked Sendable {
    public let path: String
    private let fd: Int32
    private var received: [String] = []
    private var arrivals: [Double] = []

    public init(in directory: TemporaryDirectory) throws {
        path = directory.path("notify.sock").path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, ok == 0 else { throw ShellCommand.Failure(description: "cannot bind \(path)") }
    }

    /// Whether `message` is the status a finished tick sends (its summary, or its failure), not
    /// one sent on the way (opening the ledger, waiting for the database).
    public static func isTickStatus(_ message: String) -> Bool {
        message.hasPrefix("STATUS=planned=") || message.hasPrefix("STATUS=last tick failed")
    }

    /// Reads datagrams until one satisfies `match` or `timeout` passes; returns the matching one.
    public func waitFor(timeout: Double = 20, _ match: (String) -> Bool) -> String? {
        if let hit = received.first(where: match) { return hit }
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000))) > 0 else { continue }
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { continue }
            let message = String(decoding: buffer[0..<n], as: UTF8.self)
            received.append(message)
            arrivals.append(Self.monotonicSeconds())
            if match(message) { return message }
        }
        return nil
    }

    /// Everything received so far.
    public var messages: [String] { received }

    /// Everything received so far, each with when it was read (monotonic seconds; read as soon
    /// as it arrives while a `waitFor` is waiting, so keep one waiting to time the messages).
    public var timedMessages: [(message: String, at: Double)] { Array(zip(received, arrivals)) }

    static func monotonicSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    deinit { close(fd); unlink(path) }
}
