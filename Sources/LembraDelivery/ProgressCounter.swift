import Synchronization

/// Counts finished pieces of work (a transfer done, an outcome recorded), so a supervisor on
/// another thread can tell a slow but moving tick from a stuck one: the daemon's watchdog keeps
/// telling systemd it is alive while the count moves, however long the tick takes (a `rate:`
/// limit can stretch a healthy tick far beyond the watchdog interval).
///
/// Only the change matters, never the value. Bumped from any thread; read from any thread.
public final class ProgressCounter: Sendable {
    private let count = Atomic<UInt64>(0)

    public init() {}

    /// One more piece of work finished.
    public func advance() { count.add(1, ordering: .relaxed) }

    /// The count so far.
    public var value: UInt64 { count.load(ordering: .relaxed) }
}
