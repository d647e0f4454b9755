import Foundation
import Synchronization
import LembraStore

/// The tick's senders at work, one thread each (a lane of a channel), so a slow or dead channel
/// never holds up another. Threads rather than `concurrentPerform`, whose width is the number of
/// cores: a lane waiting for the planner's next chunk must never keep the planner from running.
final class WorkerThreads: Sendable {
    private let group = DispatchGroup()
    private let results = Mutex<[Result<TickSummary, StoreError>]>([])

    /// Starts `work(0)` … `work(count - 1)`, each on its own thread.
    init(count: Int, work: @escaping @Sendable (Int) throws(StoreError) -> TickSummary) {
        for index in 0..<count {
            group.enter()
            Thread { [self] in
                let result = Result { () throws(StoreError) -> TickSummary in try work(index) }
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
