import Foundation
import Synchronization
import LembraStore

/// The tick's senders at work: one thread per channel, so a slow or dead channel never holds up
/// another. Threads rather than `concurrentPerform`, whose width is the number of cores: a worker
/// waiting for the planner's next chunk must never keep the planner itself from running.
final class ChannelWorkers: Sendable {
    private let group = DispatchGroup()
    private let results = Mutex<[Result<TickSummary, StoreError>]>([])

    /// Starts `work` for each channel on its own thread.
    init(_ channels: [String], work: @escaping @Sendable (String) throws(StoreError) -> TickSummary) {
        for channel in channels {
            group.enter()
            Thread { [self] in
                let result = Result { () throws(StoreError) -> TickSummary in try work(channel) }
                results.withLock { $0.append(result) }
                group.leave()
            }.start()
        }
    }

    /// Waits for every worker and adds up what they sent; the first ledger error, if any, is thrown
    /// once all have stopped.
    func join() throws(StoreError) -> TickSummary {
        group.wait()
        var total = TickSummary()
        for result in results.withLock({ $0 }) { total.add(try result.get()) }
        return total
    }
}
