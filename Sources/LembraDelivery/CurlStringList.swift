import CCurl

/// Owns a `curl_slist` (SMTP recipients, HTTP headers) and frees it on deinit, so a list can't
/// leak or be freed while a transfer still points at it as long as the owner keeps it alive.
final class CurlStringList {
    private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    init(_ items: [String]) throws(DeliveryError) {
        for item in items {
            guard let appended = curl_slist_append(pointer, item) else {
                throw .config("curl_slist_append failed")
            }
            pointer = appended
        }
    }

    deinit { curl_slist_free_all(pointer) }
}
