import CCurl
import Foundation
import Glibc

/// The one place LembraDelivery talks to libcurl: an easy handle with the options every handle
/// needs (`NOSIGNAL`, an error buffer) and typed setters over the C shim.
///
/// Transfers run inside a `CurlMulti` (see `TransferPool`), whose connection cache keeps
/// connections open for reuse. Not thread-safe: libcurl forbids using a handle from two threads at once.
final class CurlEasy {
    /// `curl_global_init` must run once before any handle exists; a `static let` is initialised
    /// lazily and exactly once, thread-safely, by the Swift runtime.
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    /// The raw `CURL *`, for `CurlMulti` only: every other call goes through the methods below.
    let handle: UnsafeMutableRawPointer
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

    /// Sets a POST body that libcurl copies (`POSTFIELDSIZE_LARGE` + `COPYPOSTFIELDS`), so the
    /// handle never points into Swift memory that may move or be freed.
    func setPostBody(_ body: Data) throws(DeliveryError) {
        try set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.count))
        // One spare byte so the pointer is never nil: a nil COPYPOSTFIELDS would make libcurl
        // fall back to reading the body from stdin.
        var bytes = [UInt8](body) + [0]
        let code = bytes.withUnsafeMutableBytes { setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
        try check(code, CURLOPT_COPYPOSTFIELDS)
    }

    /// The list must stay alive until the transfer using it has finished.
    func set(_ option: CURLoption, list: CurlStringList?) throws(DeliveryError) {
        try check(setopt_slist(handle, option, list?.pointer), option)
    }

    func setReadFunction(_ callback: lembra_curl_read_cb) throws(DeliveryError) {
        try check(setopt_read_cb(handle, callback), CURLOPT_READFUNCTION)
    }

    func setWriteFunction(_ callback: lembra_curl_write_cb) throws(DeliveryError) {
        try check(setopt_write_cb(handle, callback), CURLOPT_WRITEFUNCTION)
    }

    /// Runs one transfer on this handle alone, blocking (the channel checks; sending goes through
    /// `CurlMulti`).
    func perform() -> CURLcode {
        clearError()
        return curl_easy_perform(handle)
    }

    /// Empties the error buffer before a transfer, so `message(for:)` never reports a stale text.
    func clearError() { errorBuffer[0] = 0 }

    /// The error-buffer text of the last transfer (more precise than the generic code text),
    /// falling back to `curl_easy_strerror`; empty for `CURLE_OK`.
    func message(for code: CURLcode) -> String {
        guard code != CURLE_OK else { return "" }
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }

    /// The last reply code (SMTP or HTTP) of the last transfer; nil when there was none.
    var responseCode: Int? {
        var code = 0
        guard getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK, code > 0 else { return nil }
        return code
    }

    /// Seconds the server asked us to wait (`Retry-After`, as seconds or an HTTP-date, which
    /// libcurl converts to seconds from now); nil when the last response had none.
    var retryAfter: Int64? {
        var seconds = curl_off_t(0)
        guard getinfo_off(handle, CURLINFO_RETRY_AFTER, &seconds) == CURLE_OK, seconds > 0 else { return nil }
        return Int64(seconds)
    }

    /// Shuts down the socket of the last transfer's connection, if libcurl still keeps it, so it
    /// can never be reused (libcurl finds it dead) and a polite QUIT at cleanup fails at once
    /// instead of waiting for a stalled server. Call it before removing the handle from its
    /// `CurlMulti`: the connection is looked up in the multi handle's cache.
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
