import CCurl

/// One transfer in flight on a pooled easy handle (an SMTP transaction, a webhook POST): owns
/// what libcurl points at during the transfer and turns the result into an outcome.
protocol PooledTransfer: AnyObject {
    /// Position of the job in the batch, so outcomes come back in job order.
    var index: Int { get }
    var easy: CurlEasy { get }
    /// The outcome once libcurl reports the transfer done (`code`). Called while the handle is
    /// still in the multi handle, so it can read the transfer's info and drop its connection;
    /// it must unhook everything it pointed the handle at.
    func finish(_ code: CURLcode) -> DeliveryOutcome
    /// The outcome when the multi machinery itself failed mid-transfer (out of memory, say).
    func interrupted(_ error: DeliveryError) -> DeliveryOutcome
}

/// The concurrency the SMTP and webhook transports share: a `CurlMulti` (whose connection cache
/// keeps connections open from one batch to the next) and a pool of at most `limit` easy
/// handles, each carrying one transfer at a time, so at most `limit` connections are busy.
///
/// Everything runs on the calling thread: no callbacks on other threads, no shared handles.
/// Not thread-safe: use it from one thread (or serial queue) at a time.
final class TransferPool {
    /// Most transfers in flight at once (and idle connections kept for reuse).
    let limit: Int
    private var multi: CurlMulti?
    /// Easy handles not in a transfer.
    private var idle: [CurlEasy] = []
    private let makeHandle: () throws(DeliveryError) -> CurlEasy
    /// Advanced as each transfer finishes, whatever its outcome.
    private let progress: ProgressCounter?

    /// Makes one handle at once, so an option libcurl rejects fails here and not at the first send.
    init(limit: Int, progress: ProgressCounter? = nil, makeHandle: @escaping () throws(DeliveryError) -> CurlEasy) throws(DeliveryError) {
        self.limit = limit
        self.progress = progress
        self.makeHandle = makeHandle
        multi = try CurlMulti(connectionCache: limit)
        idle = [try makeHandle()]
    }

    deinit { close() }

    /// Runs one transfer per job, at most `limit` at once, and fills in `outcomes[job]` for every
    /// job. Blocks until all are done (each bounded by its handle's timeout).
    ///
    /// - Parameters:
    ///   - jobs: indices into `outcomes`, started in this order.
    ///   - mayStart: false holds the next start back (the webhook transport's `rate`).
    ///   - pollTimeout: milliseconds to wait for activity; its argument says whether a start is
    ///     held back only by `mayStart`, so pacing can wake up in time.
    ///   - events: told right before each job can reach the network (it may hold the job back),
    ///     as soon as its outcome is known, and before each wait; jobs are their indices into
    ///     `outcomes`.
    ///   - start: points a handle at a job; an error thrown is that job's `failed` outcome and
    ///     nothing is sent.
    func run(_ jobs: [Int], into outcomes: inout [DeliveryOutcome?],
             mayStart: () -> Bool = { true }, pollTimeout: (_ startHeld: Bool) -> Int = { _ in 1000 }, events: TransferEvents? = nil,
             start: (_ job: Int, _ easy: CurlEasy) throws(DeliveryError) -> any PooledTransfer) {
        guard let multi else {
            for job in jobs { outcomes[job] = .failed(.config("transport is closed")) }
            return
        }
        var waiting = jobs[...]
        var active: [UnsafeMutableRawPointer: any PooledTransfer] = [:]
        do throws(DeliveryError) {
            while true {
                while let job = waiting.first, active.count < limit, mayStart() {
                    waiting.removeFirst()
                    let easy = if let pooled = idle.popLast() { pooled } else { try makeHandle() }
                    if events?.willStart(job) == false {
                        outcomes[job] = .retry(.notStarted("held back before sending"), after: nil)
                        idle.append(easy)
                        continue
                    }
                    do {
                        let transfer = try start(job, easy)
                        try multi.add(easy)
                        active[easy.handle] = transfer
                    } catch {
                        finish(job, .failed(error), into: &outcomes, events)
                        idle.append(easy)
                    }
                }
                if waiting.isEmpty && active.isEmpty { return }
                try multi.perform()
                let completions = multi.completions()
                for completion in completions {
                    guard let transfer = active.removeValue(forKey: completion.handle) else { continue }
                    finish(transfer.index, transfer.finish(completion.code), into: &outcomes, events)
                    multi.remove(transfer.easy)
                    idle.append(transfer.easy)
                    progress?.advance()
                }
                if waiting.isEmpty && active.isEmpty { return }
                if !completions.isEmpty { continue } // slots were freed: start more before waiting
                events?.willWait()
                try multi.poll(milliseconds: pollTimeout(!waiting.isEmpty && active.count < limit))
            }
        } catch {
            // Whatever was in flight may or may not have arrived: each transfer says what that
            // means for it. What never started is simply retried.
            for transfer in active.values {
                multi.remove(transfer.easy)
                finish(transfer.index, transfer.interrupted(error), into: &outcomes, events)
            }
            for job in jobs where outcomes[job] == nil { outcomes[job] = .retry(error, after: nil) }
        }
    }

    /// Records a started job's outcome and tells `events`.
    private func finish(_ job: Int, _ outcome: DeliveryOutcome, into outcomes: inout [DeliveryOutcome?], _ events: TransferEvents?) {
        outcomes[job] = outcome
        events?.didFinish(job, outcome)
    }

    /// Frees the handles and closes the kept-alive connections; later runs fail every job.
    func close() {
        idle = []
        multi = nil
    }
}
