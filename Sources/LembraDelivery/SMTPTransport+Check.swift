import CCurl

extension SMTPTransport {
    /// Connects to the relay as a send would (TLS as configured, the login when a username is
    /// set), then sends NOOP and QUIT instead of a message: nil when all of it worked, else the
    /// failure as a send would report it. Nothing is sent to anyone. A relay that offers no AUTH
    /// is not logged in to (libcurl skips it), so a login it requires only shows when mail is sent.
    public static func check(_ settings: SMTPSettings) -> DeliveryError? {
        do throws(DeliveryError) {
            try settings.validate()
            let easy = try makeHandle(settings)
            try easy.set(CURLOPT_UPLOAD, 0)
            try easy.set(CURLOPT_NOBODY, 1) // the NOOP's reply is not "data" to write anywhere
            try easy.set(CURLOPT_CUSTOMREQUEST, "NOOP")
            let code = easy.perform()
            guard code != CURLE_OK else { return nil }
            switch SMTPTransfer.classify(code, easy.message(for: code), reply: easy.responseCode, upload: UploadSource([])) {
            case .delivered: return nil
            case .retry(let e, _), .failed(let e), .unknown(let e): return e
            }
        } catch {
            return error
        }
    }
}
