import Foundation
import LembraDelivery
import LembraStore

/// The open transports of one tick, by channel name. Created per tick and closed after it, so
/// an SMTP connection is reused across the tick's messages but never outlives a config reload.
final class ChannelSet {
    private var transports: [String: any EmailTransport] = [:]
    private let config: LembraConfig

    init(config: LembraConfig) { self.config = config }

    /// Sends a claimed attempt's stored payload. The Message-ID derives from the attempt id, so a
    /// re-send of the same attempt carries the same id.
    func send(_ attempt: Attempt, now: Date) -> DeliveryOutcome {
        guard let email = RenderedEmail.decode(attempt.payload) else {
            return .failed(.invalidMessage("stored payload is unreadable"))
        }
        do throws(DeliveryError) {
            let transport = try self.transport(attempt.channel)
            var replyTo: EmailAddress? = nil
            if let r = config.business.replyTo { replyTo = try EmailAddress(r) }
            let message = EmailMessage(
                messageID: "\(attempt.id)@lembra", date: now, from: try ChannelSet.address(from(attempt.channel)), replyTo: replyTo,
                to: try EmailAddress(email.to, displayName: email.toName), subject: email.subject, body: email.body)
            return transport.send(message)
        } catch {
            return .failed(error)
        }
    }

    func close() {
        for t in transports.values { t.close() }
        transports.removeAll()
    }

    /// Whether a sender of `channel` can tell if a message arrived after a crash: the outbox
    /// overwrites the same file, so re-sending is harmless; SMTP can't be un-sent.
    func resendIsSafe(_ channel: String) -> Bool {
        if case .outbox? = config.channels[channel] { return true }
        return false
    }

    private func transport(_ channel: String) throws(DeliveryError) -> any EmailTransport {
        if let t = transports[channel] { return t }
        let t: any EmailTransport
        switch config.channels[channel] {
        case .outbox(let o)?:
            t = OutboxTransport(directory: URL(fileURLWithPath: o.path))
        case .smtp(let s)?:
            t = try SMTPTransport(settings: SMTPSettings(url: s.url, tls: SMTPSettings.TLS(rawValue: s.tls), username: s.username,
                                                         password: s.password, caFile: s.caFile,
                                                         connectTimeout: s.connectTimeout, timeout: s.timeout))
        case nil:
            throw DeliveryError.config("channel '\(channel)' is not in the config")
        }
        transports[channel] = t
        return t
    }

    private func from(_ channel: String) -> String {
        switch config.channels[channel] {
        case .outbox(let o)?: o.from
        case .smtp(let s)?: s.from
        case nil: ""
        }
    }

    /// Parses `Name <addr@host>` or a bare `addr@host`.
    static func address(_ text: String) throws(DeliveryError) -> EmailAddress {
        guard let open = text.lastIndex(of: "<"), text.hasSuffix(">") else { return try EmailAddress(text.trimmingCharacters(in: .whitespaces)) }
        let name = text[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
        let addr = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        return try EmailAddress(addr, displayName: name.isEmpty ? nil : name)
    }
}
