import Synchronization

/// Set by SIGTERM on the main queue, read by the tick on its own queue between batches: the
/// tick records what is in flight and leaves the rest `claimed` for the next start.
public final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    public init() {}
    public func set() { value.store(true, ordering: .releasing) }
    public var isSet: Bool { value.load(ordering: .acquiring) }
}
