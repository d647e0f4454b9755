import Foundation

/// Everything the planner needs to decide: segments, ladders, the window and the caps.
/// Built from the config by the daemon; pure data here.
public struct CollectionPolicy: Sendable, Equatable {
    public var segments: [SegmentRule]
    /// Ladders by segment name.
    public var ladders: [String: Ladder]
    /// Before the due date, for every customer.
    public var upcoming: Ladder
    /// Sent once per debt paid by a recorded payment.
    public var onPaid: Ladder
    public var window: SendingWindow
    public var limits: ContactLimits
    /// Channels whose messages are tasks for a person and don't count toward the caps.
    public var handoffChannels: Set<String>
    /// Channels that send a short text (webhooks: an SMS or WhatsApp gateway, a CRM), not an
    /// e-mail: the messages the planner words itself (a promise's) take their short template.
    /// Not part of `fingerprint`: it picks a wording, never when a message is due.
    public var shortMessageChannels: Set<String>
    /// The business's zone, for customers without one.
    public var timeZone: TimeZone

    public init(segments: [SegmentRule], ladders: [String: Ladder], upcoming: Ladder, onPaid: Ladder,
                window: SendingWindow = .legalDefault, limits: ContactLimits = ContactLimits(),
                handoffChannels: Set<String> = [], shortMessageChannels: Set<String> = [], timeZone: TimeZone) {
        self.segments = segments; self.ladders = ladders; self.upcoming = upcoming; self.onPaid = onPaid
        self.window = window; self.limits = limits; self.handoffChannels = handoffChannels
        self.shortMessageChannels = shortMessageChannels; self.timeZone = timeZone
    }

    /// The zone used for a customer: their own when valid, else the business's.
    public func timeZone(for customer: Customer) -> TimeZone {
        timeZone(identifier: customer.timezone)
    }

    /// The zone for a customer's stored `timezone` (an IANA name): it when valid, else the business's.
    public func timeZone(identifier: String?) -> TimeZone {
        identifier.flatMap(TimeZone.init(identifier:)) ?? timeZone
    }
}
