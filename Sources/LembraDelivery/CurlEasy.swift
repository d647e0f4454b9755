import CCurl
import Glibc

/// The one place LembraDelivery talks to libcurl: an easy handle with the options every handle
/// needs (`NOSIGNAL`, an error buffer) and typed setters over the C shim.
///
/// A handle keeps its connection cache, so reusing one `CurlEasy` for several transfers reuses
/// the SMTP connection. Not thread-safe: libcurl forbids using a handle from two threads at once.
final class CurlEasy {
    /// `curl_global_init` must run once before any handle exists; a `static let` is initialised
    /// lazily and exactly once, thread-safely, by the Swift runtime.
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(DeliveryError) {
        guard Self.globalInit == CURLE_OK else {
            throw .config("curl_global_init failed with code \(Self.globalInit.rawValue)")
        }
        guard let handle = curl_easy_init() else { throw .config("curl_easy_init failed") }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try set(CURLOPT_NOSIGNAL, 1)
        try check(setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer), CURLOPT_ERRORBUFFER)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) throws(DeliveryError) {
        try check(setopt_long(handle, option, value), option)
    }

    /// libcurl copies string options, so the Swift string need not outlive the call.
    func set(_ option: CURLoption, _ value: String?) throws(DeliveryError) {
        try check(setopt_str(handle, option, value), option)
    }

    func set(_ option: CURLoption, offset value: Int64) throws(DeliveryError) {
        try check(setopt_off(handle, option, curl_off_t(value)), option)
    }

    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(DeliveryError) {
        try check(setopt_ptr(handle, option, value), option)
    }

    /// The list must stay alive until the transfer using it has finished.
    func set(_ option: CURLoption, list: CurlStringList?) throws(DeliveryError) {
        try check(setopt_slist(handle, option, list?.pointer), option)
    }

    func setReadFunction(_ callback: lembra_curl_read_cb) throws(DeliveryError) {
        try check(setopt_read_cb(handle, callback), CURLOPT_READFUNCTION)
    }

    /// Runs the transfer and returns libcurl's result code with its error-buffer text.
    func perform() -> (code: CURLcode, message: String) {
        errorBuffer[0] = 0
        let code = curl_easy_perform(handle)
        guard code != CURLE_OK else { return (code, "") }
        let detail = String(cString: errorBuffer)
        return (code, detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
    }

    /// The last reply code (SMTP or HTTP) of the last transfer; nil when there was none.
    var responseCode: Int? {
        var code = 0
        guard getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK, code > 0 else { return nil }
        return code
    }

    /// Shuts down the socket of the cached connection, if any, so it can never be reused and
    /// cleanup's polite QUIT fails at once. Without this, after a timeout libcurl keeps the
    /// connection and cleanup waits for the stalled server to answer QUIT, ignoring `TIMEOUT`.
    func abandonConnection() {
        var socket = curl_socket_t(-1)
        if getinfo_socket(handle, CURLINFO_ACTIVESOCKET, &socket) == CURLE_OK, socket != -1 {
            shutdown(socket, Int32(SHUT_RDWR))
        }
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(DeliveryError) {
        guard code == CURLE_OK else {
            throw .config("curl_easy_setopt(\(option.rawValue)) failed: \(String(cString: curl_easy_strerror(code)))")
        }
    }
}
