import Foundation

/// The daemon's clock. `--now` shifts it (simulation and tests); time still advances from there.
public struct Clock: Sendable {
    let offset: TimeInterval

    public init(startingAt start: Date? = nil) {
        offset = start.map { $0.timeIntervalSinceNow } ?? 0
    }

    public func now() -> Date { Date().addingTimeInterval(offset) }
}
