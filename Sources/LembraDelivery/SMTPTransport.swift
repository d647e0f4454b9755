import CCurl

/// Sends e-mail through an SMTP relay with libcurl, one recipient per transfer so each
/// recipient gets its own outcome.
///
/// The easy handle (and with it the SMTP connection) is reused from one `send` to the next,
/// but only after a success: after any failure the connection may be out of step with the
/// server (a late reply to DATA could be read as the reply to the next MAIL FROM), so the
/// handle is dropped and the next send starts a fresh connection.
/// Not thread-safe by design: a libcurl handle must never be used from two threads at once, so
/// use one transport per thread (or per serial queue) and call `close()` when done.
public final class SMTPTransport: EmailTransport {
    private let settings: SMTPSettings
    private var easy: CurlEasy?
    private var isClosed = false

    /// Validates `settings` and prepares a handle; no connection is made until the first send.
    public init(settings: SMTPSettings) throws(DeliveryError) {
        try settings.validate()
        self.settings = settings
        easy = try Self.makeHandle(settings) // fails early if libcurl rejects an option
    }

    private static func makeHandle(_ settings: SMTPSettings) throws(DeliveryError) -> CurlEasy {
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

    public func send(_ message: EmailMessage) -> DeliveryOutcome {
        guard !isClosed else { return .failed(.config("transport is closed")) }
        let mime: MIMEMessage
        do { mime = try MIMEMessage(rendering: message) } catch { return .failed(error) }
        let upload = UploadSource(mime.bytes)
        let easy: CurlEasy
        let result: (code: CURLcode, message: String)
        do {
            if let existing = self.easy { easy = existing } else { easy = try Self.makeHandle(settings) }
            result = try transfer(easy, from: message.from, to: message.to, upload: upload)
        } catch {
            return .failed(error)
        }
        let reply = easy.responseCode
        if result.code == CURLE_OK {
            self.easy = easy
            return .delivered(detail: reply.map { "smtp \($0)" })
        }
        easy.abandonConnection()
        self.easy = nil
        return Self.classify(result.code, result.message, reply: reply, upload: upload)
    }

    public func close() {
        easy = nil
        isClosed = true
    }

    /// One SMTP transaction on the reused handle. The recipient list and the upload are
    /// unhooked from the handle before they are freed, so nothing dangles between sends.
    private func transfer(_ easy: CurlEasy, from: EmailAddress, to: EmailAddress,
                          upload: UploadSource) throws(DeliveryError) -> (code: CURLcode, message: String) {
        let recipients = try CurlStringList(["<\(to.address)>"])
        try easy.set(CURLOPT_MAIL_FROM, "<\(from.address)>")
        try easy.set(CURLOPT_MAIL_RCPT, list: recipients)
        try easy.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(upload.count))
        try easy.set(CURLOPT_READDATA, pointer: Unmanaged.passUnretained(upload).toOpaque())
        let result = withExtendedLifetime((upload, recipients)) { easy.perform() }
        try easy.set(CURLOPT_MAIL_RCPT, list: nil)
        try easy.set(CURLOPT_READDATA, pointer: nil)
        return result
    }

    /// Maps libcurl's result to a step and to retry/failed/unknown. A 4xx reply is always transient
    /// and a 5xx always permanent; no reply after the whole message was sent is unknown (it may
    /// have arrived); otherwise the curl code decides.
    static func classify(_ code: CURLcode, _ text: String, reply: Int?, upload: UploadSource) -> DeliveryOutcome {
        let curl = Int(code.rawValue)
        let reply = reply.flatMap { $0 >= 400 ? $0 : nil } // 250/354 say nothing about the failure
        let error: DeliveryError
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            let note = upload.finished ? " after the whole message was sent (may have been delivered)" : ""
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
            } else if text.hasPrefix("RCPT") {
                error = .rcpt(text, curlCode: curl, replyCode: reply)
            } else if upload.started {
                error = .data(text, curlCode: curl, replyCode: reply)
            } else { // greeting, EHLO or a connection lost before DATA
                error = .connect(text, curlCode: curl, replyCode: reply)
            }
        }
        if let reply { return reply < 500 ? .retry(error, after: nil) : .failed(error) }
        if upload.finished { return .unknown(error) }
        switch code {
        case CURLE_LOGIN_DENIED, CURLE_USE_SSL_FAILED, CURLE_PEER_FAILED_VERIFICATION,
             CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CIPHER, CURLE_UNSUPPORTED_PROTOCOL,
             CURLE_URL_MALFORMAT, CURLE_READ_ERROR, CURLE_ABORTED_BY_CALLBACK:
            return .failed(error)
        default:
            return .retry(error, after: nil)
        }
    }
}
