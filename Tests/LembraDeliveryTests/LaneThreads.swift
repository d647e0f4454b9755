import Foundation
import Synchronization
import LembraDelivery

/// Drives a transport's lanes the way the daemon's tick does: each lane from a thread of its own,
/// sending only its own messages, all lanes at once. Threads rather than `concurrentPerform`,
/// whose width is the number of cores: with more lanes than cores some would wait for others,
/// and a test of lanes not holding each other up would prove nothing.
enum LaneThreads {
    /// Sends `batches[lane]` on each lane at once and waits for every lane. Returns, by lane, its
    /// outcomes and the seconds from the start of all lanes until that lane was done.
    static func send(_ batches: [[EmailMessage]], over transport: any EmailTransport) -> [(outcomes: [DeliveryOutcome], seconds: Double)] {
        let results = Mutex([(outcomes: [DeliveryOutcome], seconds: Double)](repeating: ([], 0), count: batches.count))
        let done = DispatchGroup()
        nonisolated(unsafe) let transport = transport // each lane driven by exactly one thread
        let start = DispatchTime.now().uptimeNanoseconds
        for lane in batches.indices {
            done.enter()
            Thread {
                let outcomes = transport.send(batches[lane], lane: lane)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                results.withLock { $0[lane] = (outcomes, seconds) }
                done.leave()
            }.start()
        }
        done.wait()
        return results.withLock { $0 }
    }

    /// The outcomes of `send` in message order, for batches made by `split`.
    static func sendInOrder(_ messages: [EmailMessage], over transport: any EmailTransport) -> [DeliveryOutcome] {
        send(split(messages, lanes: transport.lanes), over: transport).flatMap(\.outcomes)
    }

    /// Consecutive runs of `messages`, one per lane, as even as can be (the last lanes may get
    /// fewer or none), so reading the lanes in order gives back the messages in order.
    static func split(_ messages: [EmailMessage], lanes: Int) -> [[EmailMessage]] {
        let perLane = (messages.count + lanes - 1) / lanes
        return (0..<lanes).map { lane in Array(messages.dropFirst(lane * perLane).prefix(perLane)) }
    }
}
