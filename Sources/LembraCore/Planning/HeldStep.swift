import Foundation

/// A reminder that is due but waits, and until when (nil: until something changes, such as a
/// dispute being resolved).
public struct HeldStep: Sendable, Equatable {
    public var key: StepKey
    public var channel: String
    public var reason: HoldReason
    public var until: Date?
}
