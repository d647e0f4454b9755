// Typed wrappers over libcurl's variadic functions, which Swift cannot call directly.
// Each wrapper fixes the type of the third argument, so the C ABI is respected.
#ifndef LEMBRA_CCURL_SHIM_H
#define LEMBRA_CCURL_SHIM_H

#include <curl/curl.h>

/// Read callback signature used by uploads (SMTP DATA).
typedef size_t (*lembra_curl_read_cb)(char *buffer, size_t size, size_t nitems, void *userdata);
/// Write callback signature used by downloads (HTTP response bodies).
typedef size_t (*lembra_curl_write_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);

static inline CURLcode setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode setopt_str(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode setopt_read_cb(CURL *h, lembra_curl_read_cb cb) { return curl_easy_setopt(h, CURLOPT_READFUNCTION, cb); }
static inline CURLcode setopt_write_cb(CURL *h, lembra_curl_write_cb cb) { return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cb); }
static inline CURLcode getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode getinfo_socket(CURL *h, CURLINFO i, curl_socket_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLMcode multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

#endif
