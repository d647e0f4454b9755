import CCurl
import Foundation

/// POSTs Standard Webhooks messages to one receiver, several at once through the libcurl multi
/// interface, within the channel's connection and rate limits.
///
/// The multi handle (with its connection cache) and a pool of easy handles live as long as the
/// transport, so consecutive `send` calls reuse kept-alive connections; `close()` frees them.
/// Everything runs on the calling thread: there are no callbacks on other threads and no
/// shared handles. Not thread-safe by design: use one transport from one thread (or serial
/// queue) at a time, like each lane of `SMTPTransport`.
public final class WebhookTransport {
    private let settings: WebhookSettings
    private let signer: StandardWebhooks
    private let pool: TransferPool
    private let clock = ContinuousClock()
    /// The wall clock read as each request starts, for its `webhook-timestamp` (see `send`).
    private let wallClock: @Sendable () -> Date
    /// Earliest moment the next request may start when `rate` is set. Kept across calls, so
    /// back-to-back batches respect the rate too.
    private var nextStart: ContinuousClock.Instant

    /// Validates `settings` and prepares the handles; no connection is made until the first send.
    /// `progress` advances as each request ends; `wallClock` stamps each request as it starts.
    public init(settings: WebhookSettings, progress: ProgressCounter? = nil,
                wallClock: @escaping @Sendable () -> Date = { Date() }) throws(DeliveryError) {
        try settings.validate()
        self.settings = settings
        self.wallClock = wallClock
        signer = try StandardWebhooks(secret: settings.secret)
        pool = try TransferPool(limit: settings.maxConnections, progress: progress) { () throws(DeliveryError) in
            try Self.makeHandle(settings)
        }
        nextStart = clock.now
    }

    /// Sends every request and returns one outcome per request, in request order. Never throws:
    /// every failure is an outcome. Blocks until all requests are done (each bounded by
    /// `timeout`, plus the pacing when `rate` is set).
    ///
    /// Each request is stamped and signed when it starts, not when the batch does: behind a slow
    /// receiver or a `rate:`, the last of a batch may start minutes after the first, and
    /// receivers reject a `webhook-timestamp` older than a few minutes (a 401, which is final).
    /// `events` hears of each request as it starts and as it ends.
    public func send(_ requests: [WebhookRequest], events: TransferEvents? = nil) -> [DeliveryOutcome] {
        var outcomes = [DeliveryOutcome?](repeating: nil, count: requests.count)
        var valid: [Int] = []
        for (index, request) in requests.enumerated() {
            do { try request.validate(); valid.append(index) } catch { outcomes[index] = .failed(error) }
        }
        pool.run(valid, into: &outcomes, mayStart: { clock.now >= nextStart }, pollTimeout: pollTimeout, events: events) { index, easy throws(DeliveryError) in
            let transfer = try WebhookTransfer(index: index, request: requests[index], sentAt: wallClock(), easy: easy, signer: signer,
                                               settings: settings)
            if let rate = settings.rate { nextStart = max(nextStart, clock.now) + .seconds(1 / rate) }
            return transfer
        }
        return outcomes.map { $0 ?? .retry(.config("no outcome recorded"), after: nil) }
    }

    /// Frees the handles and closes the kept-alive connections. The transport must not be used
    /// afterwards (sends then fail with a `config` error).
    public func close() { pool.close() }

    /// How long to wait for socket activity: until the pacing allows the next start when a
    /// start is only held back by `rate`, otherwise up to a second (libcurl's own timers, such
    /// as the request timeout, wake the poll sooner when due).
    private func pollTimeout(startHeld: Bool) -> Int {
        guard startHeld, settings.rate != nil else { return 1000 }
        let wait = clock.now.duration(to: nextStart).components
        let milliseconds = wait.seconds * 1000 + wait.attoseconds / 1_000_000_000_000_000
        return Int(max(1, min(1000, milliseconds + 1)))
    }

    /// A handle with the options shared by every request to this receiver.
    private static func makeHandle(_ settings: WebhookSettings) throws(DeliveryError) -> CurlEasy {
        let easy = try CurlEasy()
        try easy.set(CURLOPT_URL, settings.url)
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_POST, 1)
        try easy.set(CURLOPT_USERAGENT, "lembra-webhook/1")
        try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = settings.caFile { try easy.set(CURLOPT_CAINFO, caFile) }
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Int(settings.connectTimeout * 1000))
        try easy.set(CURLOPT_TIMEOUT_MS, Int(settings.timeout * 1000))
        try easy.setWriteFunction(responseBodyWrite)
        return easy
    }
}
