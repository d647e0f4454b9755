import CCurl
import Foundation
import Synchronization

/// Sends e-mail through an SMTP relay with libcurl, one recipient per transfer so each
/// recipient gets its own outcome, up to `maxConnections` messages at once.
///
/// Each connection is a lane: a `TransferPool` of one (a multi handle whose connection cache
/// keeps the SMTP connection open from one message, and one batch, to the next) that the caller
/// drives from a thread of its own through `send(_:lane:)`, so the daemon's tick can record one
/// lane's outcomes while the others send. One thread per connection, rather than every connection
/// in one multi handle, because libcurl waits for the reply to the final dot *blocking*, even in
/// the multi interface (`smtp_done` runs `smtp_block_statemach`): in a shared multi handle a relay
/// that is slow to answer one message (a real relay fsyncs its queue file before that 250) would
/// stall every other connection, and one that never answers would make the others time out too.
///
/// After any failure the message's connection is shut down, never reused: it may be out of
/// step with the server (a late reply to DATA could be read as the reply to the next MAIL FROM),
/// so that lane's next message starts a fresh connection. The other lanes are not touched.
/// Not otherwise thread-safe: one thread per lane at a time, and `close()` when done.
public final class SMTPTransport: EmailTransport {
    /// One pool per lane, each only ever used by the thread driving that lane.
    private let connections: [TransferPool]
    /// Each lane's last Subject line, for its next message (used by that lane's thread only).
    private let subjects: [SubjectLine]
    /// Spaces message starts `1/rate` apart across all lanes, for the life of the transport.
    private let pacer: Pacer?

    /// Validates `settings` and prepares a handle per lane; no connection is made until the first send.
    /// `progress` advances as each message's transaction ends.
    public init(settings: SMTPSettings, progress: ProgressCounter? = nil) throws(DeliveryError) {
        try settings.validate()
        var connections: [TransferPool] = []
        for _ in 0..<settings.maxConnections {
            connections.append(try TransferPool(limit: 1, progress: progress) { () throws(DeliveryError) in try Self.makeHandle(settings) })
        }
        self.connections = connections
        subjects = connections.map { _ in SubjectLine() }
        pacer = settings.rate.map(Pacer.init(rate:))
    }

    static func makeHandle(_ settings: SMTPSettings) throws(DeliveryError) -> CurlEasy {
        let easy = try CurlEasy()
        try easy.set(CURLOPT_URL, settings.curlURL)
        try easy.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        try easy.set(CURLOPT_USE_SSL, Int(settings.tls == .starttls ? CURLUSESSL_ALL.rawValue : CURLUSESSL_NONE.rawValue))
        try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = settings.caFile { try easy.set(CURLOPT_CAINFO, caFile) }
        if let username = settings.username { try easy.set(CURLOPT_USERNAME, username) }
        if let password = settings.password { try easy.set(CURLOPT_PASSWORD, password) }
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Int(settings.connectTimeout * 1000))
        try easy.set(CURLOPT_TIMEOUT_MS, Int(settings.timeout * 1000))
        // Bounds each wait for a reply, including the QUIT that close() sends (default 120 s).
        try easy.set(CURLOPT_SERVER_RESPONSE_TIMEOUT, Int(settings.timeout.rounded(.up)))
        try easy.set(CURLOPT_UPLOAD, 1)
        try easy.setReadFunction(uploadSourceRead)
        return easy
    }

    public var lanes: Int { connections.count }

    /// Sends the messages one after another on the lane's connection, each once the rate (shared
    /// by all lanes) lets it start, telling `events` as each starts and ends. A malformed message
    /// fails without connecting.
    public func send(_ messages: [EmailMessage], lane: Int, events: TransferEvents?) -> [DeliveryOutcome] {
        let pool = connections[lane], subjectLine = subjects[lane]
        var outcomes = [DeliveryOutcome?](repeating: nil, count: messages.count)
        for index in messages.indices {
            if let pacer {
                events?.willWait()
                pacer.waitForSlot()
            }
            pool.run([index], into: &outcomes, events: events) { job, easy throws(DeliveryError) in
                try SMTPTransfer(index: job, message: messages[job], easy: easy, subjects: subjectLine)
            }
        }
        return outcomes.map { $0 ?? .retry(.config("no outcome recorded"), after: nil) }
    }

    public func close() {
        for pool in connections { pool.close() }
    }

    /// Hands out start times `1/rate` apart; a lane waits for its slot on its own thread.
    private final class Pacer: Sendable {
        private let interval: Double
        private let nextSlot = Mutex<UInt64>(0)

        init(rate: Double) { interval = 1 / rate }

        func waitForSlot() {
            let now = DispatchTime.now().uptimeNanoseconds
            let slot = nextSlot.withLock { next in
                let slot = max(now, next)
                next = slot + UInt64(interval * 1e9)
                return slot
            }
            if slot > now { usleep(UInt32(min(Double(slot - now) / 1000, Double(UInt32.max)))) }
        }
    }
}

/// One SMTP transaction (MAIL FROM, RCPT TO, DATA) in flight on a pooled handle: owns the
/// recipient list and the upload libcurl points at, and classifies the result.
final class SMTPTransfer: PooledTransfer {
    let index: Int
    let easy: CurlEasy
    private let recipients: CurlStringList
    private let upload: UploadSource

    /// Renders the message (a malformed one throws before anything is sent) and points `easy` at it.
    init(index: Int, message: EmailMessage, easy: CurlEasy, subjects: SubjectLine) throws(DeliveryError) {
        self.index = index
        self.easy = easy
        upload = UploadSource(try MIMEMessage(rendering: message, subjects: subjects).bytes)
        recipients = try CurlStringList(["<\(message.to.address)>"])
        try easy.set(CURLOPT_MAIL_FROM, "<\(message.from.address)>")
        try easy.set(CURLOPT_MAIL_RCPT, list: recipients)
        try easy.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(upload.count))
        try easy.set(CURLOPT_READDATA, pointer: Unmanaged.passUnretained(upload).toOpaque())
    }

    /// After a failure the connection is shut down so it is never reused (see `SMTPTransport`);
    /// the recipient list and the upload are unhooked so nothing dangles between transfers.
    func finish(_ code: CURLcode) -> DeliveryOutcome {
        let reply = easy.responseCode
        let outcome: DeliveryOutcome
        if code == CURLE_OK {
            outcome = .delivered(detail: reply.map { "smtp \($0)" })
        } else {
            easy.abandonConnection()
            outcome = Self.classify(code, easy.message(for: code), reply: reply, upload: upload)
        }
        try? easy.set(CURLOPT_MAIL_RCPT, list: nil)
        try? easy.set(CURLOPT_READDATA, pointer: nil)
        return withExtendedLifetime((recipients, upload)) { outcome }
    }

    /// Once the whole message went out it may have arrived: in doubt, never retried blindly.
    func interrupted(_ error: DeliveryError) -> DeliveryOutcome {
        upload.finished ? .unknown(error) : .retry(error, after: nil)
    }

    /// Maps libcurl's result to a step and to retry/failed/unknown.
    ///
    /// Only a refusal of this message is permanent: a 5xx reply to MAIL FROM, RCPT TO or DATA.
    /// A failure of the channel (connecting, the greeting, STARTTLS refused, a certificate that
    /// does not verify, AUTH refused with 535) is retried whatever its code: it fails every
    /// message alike until the operator fixes the relay or the settings, and a dead step is never
    /// sent again (the ledger's unique key), so one wrong password would kill every reminder it
    /// touched (the daemon keeps those waiting without spending tries: `DeliveryError.isChannelWide`).
    /// A 4xx reply is always transient. A timeout while connecting is a `connect` failure.
    ///
    /// Without a reply, a failure once the whole message was handed over is unknown (the server
    /// may have read the final dot and taken it), except a failed write (`CURLE_SEND_ERROR`):
    /// libcurl writes the final dot last, so that dot never reached the server. A failed read
    /// (`CURLE_RECV_ERROR`) or a timeout after it stays unknown.
    static func classify(_ code: CURLcode, _ text: String, reply: Int?, upload: UploadSource) -> DeliveryOutcome {
        let curl = Int(code.rawValue)
        let reply = reply.flatMap { $0 >= 400 ? $0 : nil } // 250/354 say nothing about the failure
        let endSent = upload.finished && code != CURLE_SEND_ERROR
        let error: DeliveryError
        var refusesTheMessage = false // a reply to MAIL FROM, RCPT TO or DATA, not to the session
        switch code {
        case CURLE_OPERATION_TIMEDOUT where !upload.started && DeliveryError.timedOutConnecting(text):
            error = .connect(text, curlCode: curl, replyCode: reply)
        case CURLE_OPERATION_TIMEDOUT:
            let note = endSent ? " after the whole message was sent (may have been delivered)" : ""
            error = .timeout(text + note, curlCode: curl, replyCode: reply)
        case CURLE_LOGIN_DENIED:
            error = .auth(text, curlCode: curl, replyCode: reply)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT:
            error = .connect(text, curlCode: curl, replyCode: reply)
        case CURLE_USE_SSL_FAILED, CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION,
             CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CIPHER:
            error = .tls(text, curlCode: curl)
        default:
            if text.hasPrefix("MAIL") {
                error = .mailFrom(text, curlCode: curl, replyCode: reply)
                refusesTheMessage = true
            } else if text.hasPrefix("RCPT") {
                error = .rcpt(text, curlCode: curl, replyCode: reply)
                refusesTheMessage = true
            } else if upload.started {
                error = .data(text, curlCode: curl, replyCode: reply, endSent: endSent)
                refusesTheMessage = true
            } else { // greeting, EHLO or a connection lost before DATA
                error = .connect(text, curlCode: curl, replyCode: reply)
            }
        }
        if let reply { return reply >= 500 && refusesTheMessage ? .failed(error) : .retry(error, after: nil) }
        if endSent { return .unknown(error) }
        switch code {
        case CURLE_READ_ERROR, CURLE_ABORTED_BY_CALLBACK: // the message could not be read: it never will be
            return .failed(error)
        default:
            return .retry(error, after: nil)
        }
    }
}
