import CCurl

/// A libcurl multi handle: runs several `CurlEasy` transfers at once on the calling thread.
///
/// Kept alive for a transport's whole life because the multi handle owns the connection cache:
/// a later transfer to the same receiver reuses a kept-alive connection instead of a new TCP
/// (and TLS) handshake. Like `CurlEasy`, it is the choke point for its C calls: every `CURLMcode`
/// becomes a `DeliveryError`. Not thread-safe: use it, and the handles added to it, from one
/// thread at a time.
final class CurlMulti {
    /// One finished transfer, as `curl_multi_info_read` reports it.
    struct Completion {
        let handle: UnsafeMutableRawPointer
        let code: CURLcode
    }

    private let multi: UnsafeMutableRawPointer

    /// - Parameter connectionCache: how many idle connections to keep for reuse.
    init(connectionCache: Int) throws(DeliveryError) {
        _ = try CurlEasy() // runs curl_global_init (once) before the first multi handle exists
        guard let multi = curl_multi_init() else { throw .config("curl_multi_init failed") }
        self.multi = multi
        try check(multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, connectionCache), "curl_multi_setopt(MAXCONNECTS)")
    }

    /// Every handle must have been removed first (the transport does so before dropping them).
    deinit { curl_multi_cleanup(multi) }

    func add(_ easy: CurlEasy) throws(DeliveryError) {
        easy.clearError()
        try check(curl_multi_add_handle(multi, easy.handle), "curl_multi_add_handle")
    }

    /// A handle must be removed before it is reused for another transfer or freed.
    func remove(_ easy: CurlEasy) {
        _ = curl_multi_remove_handle(multi, easy.handle)
    }

    /// Drives every transfer as far as it can go without blocking.
    func perform() throws(DeliveryError) {
        var running: Int32 = 0
        try check(curl_multi_perform(multi, &running), "curl_multi_perform")
    }

    /// Blocks until a socket is ready or `milliseconds` pass (less if libcurl's own timers
    /// expire sooner). With no transfer at all it simply waits: that is how the transport paces
    /// starts to a rate without a `sleep`.
    func poll(milliseconds: Int) throws(DeliveryError) {
        var ready: Int32 = 0
        try check(curl_multi_poll(multi, nil, 0, Int32(clamping: milliseconds), &ready), "curl_multi_poll")
    }

    /// The transfers that finished since the last call.
    func completions() -> [Completion] {
        var done: [Completion] = []
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
            done.append(Completion(handle: handle, code: message.pointee.data.result))
        }
        return done
    }

    private func check(_ code: CURLMcode, _ call: String) throws(DeliveryError) {
        guard code == CURLM_OK else {
            throw .config("\(call) failed: \(String(cString: curl_multi_strerror(code)))")
        }
    }
}
