import Foundation
import LembraCore
import LembraStore

/// Turns planned messages into claim requests with their rendered payload. A message that can't
/// be sent (no address for the channel, a template that renders to nothing usable, a total that
/// overflows) is claimed as skipped with the reason, so the step is visible in `history` and
/// never retried blindly.
/// `package` so that `lembra-bench compose` can measure it.
package struct MessageComposer {
    let config: LembraConfig
    /// `unsubscribe_url` split around `{{customer.id}}` once, rather than a Foundation
    /// `replacingOccurrences` per e-mail (the same search, so the same result).
    private let unsubscribeParts: [String]?

    package init(config: LembraConfig) {
        self.config = config
        unsubscribeParts = config.unsubscribeURL.map { $0.components(separatedBy: "{{customer.id}}") }
    }

    /// Whether the customer has the contact the channel needs (an e-mail address, a phone).
    static func reaches(_ channel: ChannelConfig, _ customer: Customer) -> Bool {
        switch channel.requires {
        case .email: customer.email != nil
        case .phone: customer.phone != nil
        case .none: true
        }
    }

    package func compose(_ message: PlannedMessage, customer: Customer, now: Date) -> ClaimRequest {
        let id = ClaimRequest.newAttemptID(now: now)
        let skip = { (reason: String) in ClaimRequest(attemptID: id, message: message, payload: Data(), skipReason: reason) }
        guard let channel = config.channels[message.channel] else { return skip("unknown_channel") }
        guard MessageComposer.reaches(channel, customer) else { return skip(SkipReason.noAddress.rawValue) }
        let locale = customer.locale ?? config.locale
        let tz = config.policy.timeZone(for: customer)
        guard let facts = try? MessageFacts(message, customer: customer, config: config, locale: locale, today: CalendarDate(now, in: tz), now: now) else {
            return skip("amount_overflow")
        }
        guard let text = config.templates.render(message.template, locale: locale, context: facts) else {
            return skip("template_error")
        }
        guard channel.isEmail else {
            let body = WebhookPayload.make(facts, attemptID: id, text: text)
            return ClaimRequest(attemptID: id, message: message, payload: body)
        }
        let unsubscribe = unsubscribeParts.map { $0.joined(separator: SignedLink.percentEncoded(customer.id)) }
        guard let email = customer.email, let rendered = RenderedEmail(rendered: text, to: email, toName: customer.name, unsubscribeURL: unsubscribe) else {
            return skip("template_error")
        }
        return ClaimRequest(attemptID: id, message: message, payload: rendered.encoded())
    }
}
