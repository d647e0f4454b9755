import Foundation
import LembraDelivery

/// `lembra check-channels`, also run by the daemon when it starts and after a reload: each
/// configured channel is tried without sending anything to a customer. SMTP: connect, TLS as
/// configured, the login, NOOP and QUIT. Webhook: a signed `lembra.ping` event (unless
/// `check: none`). Outbox: the folder can be written. One result per channel, by name.
public struct ChannelCheck: Sendable {
    /// One channel's result: nil `problem` when it works (or was not checked).
    public struct Result: Sendable, CustomStringConvertible {
        public let channel: String
        let problem: ChannelProblem?
        /// Why it was not checked (`check: none`), when it was not.
        let skipped: String?

        public var ok: Bool { problem == nil }

        /// The line `check-channels` prints: `channels.NAME: ok`, or the key to fix and why.
        public var description: String {
            if let problem { return problem.description }
            return "channels.\(channel): " + (skipped ?? "ok")
        }
    }

    public let config: LembraConfig

    public init(config: LembraConfig) { self.config = config }

    /// Every channel's result, sorted by name.
    public func run() -> [Result] {
        config.channels.sorted { $0.key < $1.key }.map { name, channel in check(name, channel) }
    }

    private func check(_ name: String, _ channel: ChannelConfig) -> Result {
        let error: DeliveryError?
        switch channel {
        case .smtp(let s): error = SMTPTransport.check(s.settings)
        case .outbox(let o): error = OutboxTransport.check(directory: URL(fileURLWithPath: o.path))
        case .webhook(let w):
            guard w.check == .ping else { return Result(channel: name, problem: nil, skipped: "not checked (check: none)") }
            error = WebhookTransport.ping(w.settings)
        }
        return Result(channel: name, problem: error.map { ChannelProblem(channel: name, error: $0) }, skipped: nil)
    }

    /// Runs the check and logs each channel: `info` when it works, `err` with the key to fix
    /// when it does not. The daemon goes on either way: its reminders wait for a channel that
    /// is down (`channel_down`) and go out once it works again.
    public func log(to log: Logfmt, when: String) {
        for r in run() {
            if let p = r.problem {
                log.log(.error, "channel_check", ["channel": r.channel, "when": when, "result": "failed", "key": p.key, "problem": p.message])
            } else {
                log.log(.info, "channel_check", ["channel": r.channel, "when": when, "result": r.skipped == nil ? "ok" : "skipped"])
            }
        }
    }
}
