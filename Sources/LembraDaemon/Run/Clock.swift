import Foundation

/// The clock every command reads. `--now` pins it: one-shot commands see exactly that instant
/// (so an import and a tick at the same `--now` agree to the microsecond); the daemon's clock
/// advances from it in real time (simulation). Without `--now`, it is the system clock.
public struct Clock: Sendable {
    let pinned: Date?
    let advancing: Bool
    let origin = Date()

    public init(pinnedAt pinned: Date? = nil, advancing: Bool = false) {
        self.pinned = pinned
        self.advancing = advancing
    }

    public func now() -> Date {
        guard let pinned else { return Date() }
        return advancing ? pinned.addingTimeInterval(Date().timeIntervalSince(origin)) : pinned
    }

    /// The same clock, moving forward in real time from its current reading.
    public func advancingFromNow() -> Clock { Clock(pinnedAt: pinned, advancing: true) }
}
