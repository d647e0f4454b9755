import CCurl
import Foundation

/// One signed POST in flight on a pooled easy handle: owns what libcurl points at during the
/// transfer (the header list, the response sink) and turns the result into an outcome.
final class WebhookTransfer: PooledTransfer {
    /// Position of the request in the batch, so outcomes come back in request order.
    let index: Int
    let easy: CurlEasy
    private let headers: CurlStringList
    private let response = ResponseBody()
    /// Strings a receiver might echo back that must never reach a log.
    private let sensitive: [String]
    /// The body sent and where it holds personal data, read only if the reply is an error.
    private let body: Data
    private let personalFields: [String]

    /// Points `easy` at this request, stamped `sentAt` (`webhook-timestamp`, whole unix seconds as
    /// Standard Webhooks requires). The handle keeps the options common to every request (URL,
    /// TLS, timeouts, write callback); only the per-request ones are set here.
    init(index: Int, request: WebhookRequest, sentAt: Date, easy: CurlEasy, signer: StandardWebhooks,
         settings: WebhookSettings) throws(DeliveryError) {
        self.index = index
        self.easy = easy
        let timestamp = Int64(sentAt.timeIntervalSince1970.rounded(.down))
        let signature = signer.signature(id: request.id, timestamp: timestamp, body: request.body)
        headers = try CurlStringList([
            "content-type: application/json",
            "webhook-id: \(request.id)",
            "webhook-timestamp: \(timestamp)",
            "webhook-signature: \(signature)",
            "Expect:", // no 100-continue round trip (and no 1 s stall with receivers that ignore it)
        ] + settings.headers.map { "\($0.0): \($0.1)" })
        sensitive = [settings.secret, String(settings.secret.dropFirst("whsec_".count)), signature]
            + settings.headers.map(\.1).filter { $0.count >= 8 }
        body = request.body
        personalFields = request.personalFields
        try easy.set(CURLOPT_HTTPHEADER, list: headers)
        try easy.setPostBody(request.body)
        try easy.set(CURLOPT_WRITEDATA, pointer: Unmanaged.passUnretained(response).toOpaque())
    }

    /// The outcome once libcurl reports the transfer done (`code`); also unhooks the header
    /// list and the sink from the handle, so nothing dangles while it waits in the pool.
    func finish(_ code: CURLcode) -> DeliveryOutcome {
        let status = easy.responseCode
        let outcome = withExtendedLifetime((headers, response)) {
            Self.classify(code, easy.message(for: code), status: status, retryAfter: { easy.retryAfter },
                          excerpt: { limit in
                              response.excerpt(redacting: sensitive, personal: PersonalData(json: body, fields: personalFields), limit: limit)
                          })
        }
        try? easy.set(CURLOPT_HTTPHEADER, list: nil)
        try? easy.set(CURLOPT_WRITEDATA, pointer: nil)
        return outcome
    }

    /// Receivers deduplicate on `webhook-id`, so a request that may have arrived is simply
    /// retried; it was in flight, so it may have (a cancelled retry keeps its step and its id).
    func interrupted(_ error: DeliveryError) -> DeliveryOutcome {
        .retry(.request("interrupted in flight: \(error.message)", curlCode: error.curlCode), after: nil)
    }

    /// 2xx is delivered; 408, 429 and 5xx are transient (honouring `Retry-After`); any other
    /// status (410 Gone, 400, 401 bad signature, an unfollowed 3xx) is permanent. A 401 or 403
    /// refuses every request alike, though: the daemon keeps those messages waiting for the
    /// channel instead (`DeliveryError.isChannelWide`).
    ///
    /// Without a response everything is transient but a URL curl can't use. A failure before
    /// the request could go out (the name not resolved, the connection refused, the TLS handshake
    /// or the certificate) proves it never arrived; certificates are retried as for SMTP: a
    /// receiver's expired or misconfigured certificate fails every message alike until fixed, and
    /// a dead step is never sent again. Any other failure (an empty reply, a failed read, a write
    /// cut short, a garbled answer) came after the request went out, or may have: the receiver
    /// may have it (`request`, which a cancelled retry never gives back to the planner).
    static func classify(_ code: CURLcode, _ text: String, status: Int?, retryAfter: () -> Int64?,
                         excerpt: (_ limit: Int) -> String) -> DeliveryOutcome {
        let curl = Int(code.rawValue)
        if code == CURLE_OK, let status {
            if (200..<300).contains(status) { return .delivered(detail: "http \(status)") }
            let summary = "http \(status)"
            // The excerpt fills what is left of DeliveryError's 200-character message.
            let body = excerpt(ResponseBody.messageLength - summary.count - 2)
            let error = DeliveryError.http(body.isEmpty ? summary : "\(summary): \(body)", status: status)
            guard status == 408 || status == 429 || (500..<600).contains(status) else { return .failed(error) }
            return .retry(error, after: retryAfter().map(Double.init))
        }
        switch code {
        case CURLE_OPERATION_TIMEDOUT where DeliveryError.timedOutConnecting(text):
            return .retry(.connect(text, curlCode: curl), after: nil)
        case CURLE_OPERATION_TIMEDOUT:
            return .retry(.timeout(text + " (the receiver may have it; a retry keeps the webhook-id)",
                                   curlCode: curl, replyCode: nil), after: nil)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CIPHER, CURLE_SSL_CONNECT_ERROR:
            return .retry(.tls(text, curlCode: curl), after: nil)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .failed(.connect(text, curlCode: curl))
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            return .retry(.connect(text, curlCode: curl), after: nil)
        default:
            return .retry(.request(text + " (the receiver may have it; a retry keeps the webhook-id)", curlCode: curl), after: nil)
        }
    }
}
