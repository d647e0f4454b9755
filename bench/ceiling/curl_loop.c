/*
 * libcurl's own ceiling for the delivery benchmarks: the same messages, the same concurrency,
 * and nothing else (no ledger, no templates, no signing, no Swift), so BENCHMARKS.md can say how
 * much of the distance to smtp-source and wrk libcurl itself accounts for.
 *
 *   curl_loop smtp URL CONNECTIONS N MESSAGE_FILE   one thread per connection, curl_easy_perform
 *                                                   per message, each connection reused
 *   curl_loop http URL CONNECTIONS N BODY_FILE      POSTs through one multi handle, CONNECTIONS
 *                                                   transfers in flight
 *
 * Prints messages (or requests) per second; exits 1 if any transfer fails.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *data;
static size_t size;
static const char *url;
static int per_thread;

struct upload { size_t offset; };

static size_t read_cb(char *buffer, size_t item, size_t count, void *user) {
    struct upload *u = user;
    size_t n = item * count < size - u->offset ? item * count : size - u->offset;
    memcpy(buffer, data + u->offset, n);
    u->offset += n;
    return n;
}

static size_t discard(char *p, size_t item, size_t count, void *user) { (void)p; (void)user; return item * count; }

static void *smtp_lane(void *arg) {
    (void)arg;
    CURL *easy = curl_easy_init();
    struct curl_slist *rcpt = curl_slist_append(NULL, "<cliente@cliente.example>");
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(easy, CURLOPT_MAIL_FROM, "<cobranca@oficina-exemplo.com.br>");
    curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, (curl_off_t)size);
    for (int i = 0; i < per_thread; i++) {
        struct upload u = {0};
        curl_easy_setopt(easy, CURLOPT_READDATA, &u);
        CURLcode code = curl_easy_perform(easy);
        if (code != CURLE_OK) { fprintf(stderr, "smtp: %s\n", curl_easy_strerror(code)); exit(1); }
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(easy);
    return NULL;
}

static void run_smtp(int connections) {
    pthread_t threads[64];
    for (int i = 0; i < connections; i++) pthread_create(&threads[i], NULL, smtp_lane, NULL);
    for (int i = 0; i < connections; i++) pthread_join(threads[i], NULL);
}

static void run_http(int connections, int total) {
    CURLM *multi = curl_multi_init();
    struct curl_slist *headers = curl_slist_append(NULL, "content-type: application/json");
    int started = 0, done = 0, running;
    for (int i = 0; i < connections && started < total; i++, started++) {
        CURL *easy = curl_easy_init();
        curl_easy_setopt(easy, CURLOPT_URL, url);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, data);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, (long)size);
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
        curl_multi_add_handle(multi, easy);
    }
    while (done < total) {
        curl_multi_perform(multi, &running);
        CURLMsg *msg;
        int queued;
        while ((msg = curl_multi_info_read(multi, &queued))) {
            if (msg->msg != CURLMSG_DONE) continue;
            if (msg->data.result != CURLE_OK) { fprintf(stderr, "http: %s\n", curl_easy_strerror(msg->data.result)); exit(1); }
            long status = 0;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
            if (status / 100 != 2) { fprintf(stderr, "http: status %ld\n", status); exit(1); }
            done++;
            CURL *easy = msg->easy_handle;
            curl_multi_remove_handle(multi, easy);
            if (started < total) { curl_multi_add_handle(multi, easy); started++; } else curl_easy_cleanup(easy);
        }
        if (done < total) curl_multi_poll(multi, NULL, 0, 1000, NULL);
    }
    curl_slist_free_all(headers);
    curl_multi_cleanup(multi);
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: curl_loop smtp|http URL CONNECTIONS N FILE\n"); return 64; }
    url = argv[2];
    int connections = atoi(argv[3]), total = atoi(argv[4]);
    if (connections < 1 || connections > 64 || total < connections) { fprintf(stderr, "bad CONNECTIONS or N\n"); return 64; }
    FILE *f = fopen(argv[5], "rb");
    if (!f) { perror(argv[5]); return 66; }
    fseek(f, 0, SEEK_END); size = (size_t)ftell(f); rewind(f);
    data = malloc(size + 1);
    if (fread(data, 1, size, f) != size) { perror(argv[5]); return 66; }
    fclose(f);
    curl_global_init(CURL_GLOBAL_ALL);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    if (strcmp(argv[1], "smtp") == 0) { per_thread = total / connections; total = per_thread * connections; run_smtp(connections); }
    else run_http(connections, total);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double seconds = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    printf("%.0f\n", total / seconds);
    curl_global_cleanup();
    return 0;
}
