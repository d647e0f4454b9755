import Dispatch
import LembraStore

/// A lane's request for its next batch (`BatchSource.next(recording:waiting:)`: a commit that
/// records the outcomes handed over and marks the next batch `sending`), run on the lane's own
/// queue while the lane goes on sending, or at once without one (`LaneLoop`).
final class NextBatch: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // `@unchecked Sendable`: written once before `done` is signalled, read after `wait`.
    private var result: Result<[Attempt]?, StoreError> = .success(nil)

    /// Runs `ask` on `queue`, or now when `queue` is nil.
    init(on queue: DispatchQueue?, _ ask: @escaping @Sendable () throws(StoreError) -> [Attempt]?) {
        let run: @Sendable () -> Void = { [self] in
            result = Result { () throws(StoreError) in try ask() }
            done.signal()
        }
        if let queue { queue.async(execute: run) } else { run() }
    }

    /// The batch, already marked `sending`; nil when nothing more was marked.
    func wait() throws(StoreError) -> [Attempt]? {
        done.wait()
        return try result.get()
    }
}
