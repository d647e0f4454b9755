import Foundation
import LembraDelivery
import LembraStore

/// The senders of one tick, by channel name, built up front so each channel's worker owns its
/// own. Created per tick and closed after it: an SMTP connection is reused across the tick's
/// messages but never outlives a config reload.
final class ChannelSet: @unchecked Sendable {
    private var senders: [String: any ChannelSender] = [:]
    /// Channels whose transport could not be set up, with the reason (their attempts fail).
    private var broken: [String: DeliveryError] = [:]

    /// `progress` advances as each message's transfer ends (see `ProgressCounter`).
    init(config: LembraConfig, progress: ProgressCounter? = nil) {
        for (name, channel) in config.channels {
            do throws(DeliveryError) { senders[name] = try ChannelSet.sender(channel, config: config, progress: progress) } catch { broken[name] = error }
        }
    }

    static func sender(_ channel: ChannelConfig, config: LembraConfig, progress: ProgressCounter?) throws(DeliveryError) -> any ChannelSender {
        switch channel {
        case .outbox(let o):
            return EmailSender(transport: OutboxTransport(directory: URL(fileURLWithPath: o.path), progress: progress), from: o.from,
                               replyTo: config.business.replyTo, resendIsSafe: true)
        case .smtp(let s):
            return EmailSender(transport: try SMTPTransport(settings: s.settings, progress: progress), from: s.from,
                               replyTo: config.business.replyTo, resendIsSafe: config.inDoubt == .resend, rate: s.settings.rate)
        case .webhook(let w):
            return WebhookSender(transport: try WebhookTransport(settings: w.settings, progress: progress), rate: w.settings.rate)
        }
    }

    func batchLimit(_ channel: String) -> Int { senders[channel]?.batchLimit ?? 8 }
    func lanes(_ channel: String) -> Int { senders[channel]?.lanes ?? 1 }
    func marksAhead(_ channel: String) -> Bool { senders[channel]?.marksAhead ?? false }
    func resendIsSafe(_ channel: String) -> Bool { senders[channel]?.resendIsSafe ?? false }

    func send(_ attempts: [Attempt], channel: String, lane: Int, now: Date, events: TransferEvents? = nil) -> [DeliveryOutcome] {
        guard let sender = senders[channel] else {
            let error = broken[channel] ?? .config("channel '\(channel)' is not in the config")
            return attempts.map { _ in .failed(error) }
        }
        return sender.send(attempts, lane: lane, now: now, events: events)
    }

    func close() {
        for s in senders.values { s.close() }
        senders.removeAll()
    }
}
