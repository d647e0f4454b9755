/*
 * The ledger's own ceiling for `lembra-bench ledger`: the same SQLite work for N due customers,
 * written in C against libsqlite3, so BENCHMARKS.md can say how much of the ledger's CPU is
 * SQLite and the disk and how much is Lembra's Swift and GRDB around them.
 *
 *   ledger_replay replay DB N PAYLOAD_BYTES BATCH
 *   ledger_replay lean   DB N PAYLOAD_BYTES BATCH
 *
 * DB is a fresh copy of a ledger made by `lembra-bench generate DB N 1` (N customers, one debt
 * each, all due at the measured instant), so customers and debts are Lembra's own rows.
 *
 * `replay` issues the statements the tick issues, in its transactions: due customer ids; per
 * chunk of customers (32 doubling to 256) a read transaction loading their cases and the
 * controls version, then one write transaction with the version check, per message the attempt
 * row, then its item (`ON CONFLICT DO NOTHING` on the step, the table's key) and its payload
 * in `attempt_payloads`, both under the attempt's integer key, the plans' skipped steps (two per
 * customer here) the same way without payload, per customer its segment (written only when
 * it differs from the one read with the customer) and its debt's next check, and the skipped
 * steps added to `attempt_counts`; then per BATCH of attempts one write transaction recording the
 * previous batch's outcomes, marking the next `sending` and adding the sent ones to
 * `attempt_counts`.
 * The schema is the generated ledger's, so it is Lembra's at the commit measured. Every
 * statement is prepared once and bound directly; reads go through a second connection, as
 * GRDB's pool does; each commit is preceded by a stat(2) of the file, as `SQLiteLedger.write` does.
 * The writer runs at `synchronous = NORMAL`, and each lane commit is followed by an fdatasync(2)
 * of the WAL, as Lembra's `WALSync` does after it; a claim is not synced (the next mark's sync
 * covers it), as in the tick.
 * `scripts/bench-ledger.sh` checks, through `sql_trace.c`, that the sequence is Lembra's.
 *
 * `lean` writes the same durable records (each attempt, claimed or skipped, with its step twice,
 * in two b-trees keyed by the step, where Lembra has its table keyed by the step and an index by
 * attempt; the payload; the `sending` mark; the outcome; the next check) in the same commits, in
 * the leanest layout we can justify: an integer attempt key (the public id is kept with the
 * payload, written once); the payload in its own table, so a state change rewrites a
 * row of about 100 bytes, not ~1 KB; one partial index over the attempts still to send and
 * no other state index (with the payload out of the row, counting attempts by state scans
 * small rows); states as small integers with the pending ones first, so the partial index's
 * condition is one comparison; due dates as day numbers.
 *
 * Prints CPU µs per message by phase (this thread's CPU time, as lembra-bench measures).
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FIRST_CHUNK 32
#define MAX_CHUNK 256

static const double now = 1795006800.0;           /* Wed 18/11/2026 10:00, São Paulo */
static const double next_check = 1795230000.0;    /* where the planner puts the debt's next check */
static const char *due_iso = "2026-11-17";
static const int due_day = 20774;                 /* 2026-11-17 as days since 1970-01-01 */

static sqlite3 *wdb, *rdb;
static const char *path;
static int lean;
/* Per customer (by the number in its id, "c123"): whether the segment read with it differs from
 * the one its plan gives, so the claim writes it (Lembra writes a segment only then). */
static unsigned char *segment_changes;

static void die(sqlite3 *db, const char *what) {
    fprintf(stderr, "ledger_replay: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    exit(1);
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql) {
    sqlite3_stmt *s;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) die(db, sql);
    return s;
}

/* Steps `s` to its end; returns the rows it gave. */
static int run(sqlite3_stmt *s) {
    int rc, rows = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) rows++;
    if (rc != SQLITE_DONE) die(sqlite3_db_handle(s), sqlite3_sql(s));
    sqlite3_reset(s);
    return rows;
}

static void exec(sqlite3 *db, const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) { fprintf(stderr, "ledger_replay: %s: %s\n", sql, err); exit(1); }
}

static double thread_cpu_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void text(sqlite3_stmt *s, int i, const char *v) { sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC); }

/* The statements, prepared once. */
static sqlite3_stmt *r_begin, *r_commit, *r_due, *r_version, *w_begin, *w_commit, *w_version, *w_attempt, *w_payload,
    *w_item, *w_claim, *w_segment, *w_check, *w_mark, *w_outcome, *w_count;

static void prepare_all(void) {
    r_begin = prepare(rdb, "BEGIN DEFERRED TRANSACTION");
    r_commit = prepare(rdb, "COMMIT TRANSACTION");
    r_due = prepare(rdb, "SELECT DISTINCT customer_id FROM debts WHERE next_check_at IS NOT NULL AND next_check_at <= ? LIMIT ?");
    r_version = prepare(rdb, "SELECT version FROM controls_version WHERE id = 1");
    w_begin = prepare(wdb, "BEGIN IMMEDIATE TRANSACTION");
    w_commit = prepare(wdb, "COMMIT TRANSACTION");
    w_version = prepare(wdb, "SELECT version FROM controls_version WHERE id = 1");
    w_check = prepare(wdb, "UPDATE debts SET next_check_at = ?, hold_reason = ?, hold_until = ?, held_at = ? WHERE id = ?");
    if (!lean) {
        w_attempt = prepare(wdb, "INSERT INTO attempts (id, customer_id, kind, channel, template, segment, step_id, handoff, state, reason, created_at, updated_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        w_payload = prepare(wdb, "INSERT INTO attempt_payloads (attempt, payload) VALUES (?, ?)");
        w_item = prepare(wdb, "INSERT INTO attempt_items (attempt, debt_id, due_date, step_id) VALUES (?, ?, ?, ?) "
                              "ON CONFLICT (debt_id, due_date, step_id) DO NOTHING");
        w_segment = prepare(wdb, "UPDATE customers SET segment = ?1 WHERE id = ?2 AND segment IS NOT ?1");
        w_mark = prepare(wdb, "UPDATE attempts SET state = 'sending', updated_at = ? "
                              "WHERE id = ? AND (state IN ('claimed') OR (state = 'retry' AND next_try_at <= ?))");
        w_outcome = prepare(wdb, "UPDATE attempts SET state = ?, reason = ?, next_try_at = ?, tries = tries + ?, "
                                 "may_have_arrived = may_have_arrived OR ?, updated_at = ? WHERE id = ? AND (state IN ('sending'))");
        w_count = prepare(wdb, "INSERT INTO attempt_counts (state, n) VALUES (?, ?) ON CONFLICT (state) DO UPDATE SET n = n + excluded.n");
    } else {
        /* States: 0 claimed, 1 sending, 2 retry (the pending ones, so `state < 3` selects them: an `IN` list
         * in a partial index's condition costs an ephemeral table at every row change), 3 sent, 4 in_doubt,
         * 5 dead, 6 cancelled, 7 skipped. */
        w_attempt = prepare(wdb, "INSERT INTO lean_attempts (customer_id, kind, channel, template, segment, step_id, handoff, state, reason, created_at, updated_at) "
                                 "VALUES (?, 0, ?, ?, ?, ?, 0, ?, ?, ?, ?)");
        w_payload = prepare(wdb, "INSERT INTO lean_payloads (attempt, public_id, payload) VALUES (?, ?, ?)");
        w_item = prepare(wdb, "INSERT INTO lean_items (debt_id, due_day, step_id, attempt) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
        w_claim = prepare(wdb, "INSERT INTO lean_step_claims (debt_id, due_day, step_id) VALUES (?, ?, ?)");
        w_segment = prepare(wdb, "UPDATE customers SET segment = ?1 WHERE id = ?2 AND segment IS NOT ?1");
        w_mark = prepare(wdb, "UPDATE lean_attempts SET state = 1, updated_at = ? WHERE id = ? AND (state = 0 OR (state = 2 AND next_try_at <= ?))");
        w_outcome = prepare(wdb, "UPDATE lean_attempts SET state = ?, reason = ?, next_try_at = ?, tries = tries + ?, "
                                 "may_have_arrived = may_have_arrived OR ?, updated_at = ? WHERE id = ? AND state = 1");
    }
}

/* The lean layout, beside Lembra's tables in the same file (customers and debts are shared). */
static void create_lean(void) {
    exec(wdb, "CREATE TABLE lean_attempts ("
              " id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, kind INTEGER NOT NULL, channel TEXT NOT NULL, template TEXT NOT NULL,"
              " segment TEXT NOT NULL, step_id TEXT NOT NULL, handoff INTEGER NOT NULL, state INTEGER NOT NULL, reason TEXT,"
              " tries INTEGER NOT NULL DEFAULT 0, next_try_at REAL, may_have_arrived INTEGER NOT NULL DEFAULT 0,"
              " created_at REAL NOT NULL, updated_at REAL NOT NULL);"
              "CREATE INDEX lean_attempts_pending ON lean_attempts(channel, created_at) WHERE state < 3;"
              "CREATE INDEX lean_attempts_customer ON lean_attempts(customer_id, created_at);"
              "CREATE TABLE lean_payloads (attempt INTEGER PRIMARY KEY, public_id TEXT NOT NULL, payload BLOB NOT NULL);"
              "CREATE TABLE lean_items (debt_id TEXT NOT NULL, due_day INTEGER NOT NULL, step_id TEXT NOT NULL, attempt INTEGER NOT NULL,"
              " PRIMARY KEY (debt_id, due_day, step_id)) WITHOUT ROWID;"
              "CREATE TABLE lean_step_claims (debt_id TEXT NOT NULL, due_day INTEGER NOT NULL, step_id TEXT NOT NULL,"
              " PRIMARY KEY (debt_id, due_day, step_id)) WITHOUT ROWID;");
}

static void check_file(void) {
    struct stat st;
    if (stat(path, &st) != 0) die(NULL, "stat");
}

static void commit(void) { check_file(); run(w_commit); }

/* The WAL, synced after each lane commit through a descriptor of its own (`WALSync`). */
static int walfd = -1;
static void sync_wal(void) { if (fdatasync(walfd) != 0) die(NULL, "fdatasync"); }

/* Adds n attempts that became `state` to `attempt_counts` (Lembra's states counted there; the
 * floor counts nothing, see above). */
static void count_final(const char *state, int n) {
    if (lean || n == 0) return;
    text(w_count, 1, state); sqlite3_bind_int64(w_count, 2, n);
    run(w_count);
}

/* "?,?,…": n placeholders. */
static char *marks(int n) {
    char *m = malloc(2 * n + 1), *p = m;
    for (int i = 0; i < n; i++) { *p++ = '?'; *p++ = ','; }
    p[-1] = 0;
    return m;
}

/* The planner's reads, as `PlanningQueries` makes them: a chunk is padded to the next of these
 * widths by repeating its last id, and each width's five statements are prepared once. */
static const int widths[] = {8, 16, 32, 64, 128, 256, 512};
static sqlite3_stmt *load_statements[7][5];

/* The five statements for `width` ids: customers, debts, claimed steps, recent contacts, promises. */
static void prepare_load(sqlite3_stmt **statements, int width) {
    char *m = marks(width);
    char q[5][8192];
    snprintf(q[0], sizeof q[0], "SELECT id, name, email, phone, document, timezone, locale, paused_through, opted_out, segment FROM customers WHERE id IN (%s)", m);
    snprintf(q[1], sizeof q[1], "SELECT id, customer_id, amount_cents, paid_cents, due_date, description, currency, payment_url, paid_at, created_at, "
                                "dispute_reason, thanks_pending FROM debts WHERE customer_id IN (%s)", m);
    if (!lean) {
        snprintf(q[2], sizeof q[2], "SELECT d.customer_id, i.debt_id, i.due_date, i.step_id FROM attempt_items i JOIN debts d ON d.id = i.debt_id "
                                    "WHERE d.customer_id IN (%s)", m);
        snprintf(q[3], sizeof q[3], "SELECT customer_id, created_at FROM attempts WHERE customer_id IN (%s) AND handoff = 0 AND kind = 'reminder' "
                                    "AND created_at > ? AND state IN ('claimed', 'sending', 'sent', 'retry', 'in_doubt')", m);
    } else {
        snprintf(q[2], sizeof q[2], "SELECT d.customer_id, i.debt_id, i.due_day, i.step_id FROM lean_items i JOIN debts d ON d.id = i.debt_id "
                                    "WHERE d.customer_id IN (%s)", m);
        snprintf(q[3], sizeof q[3], "SELECT customer_id, created_at FROM lean_attempts WHERE customer_id IN (%s) AND handoff = 0 AND kind = 0 "
                                    "AND created_at > ? AND state < 5", m);
    }
    snprintf(q[4], sizeof q[4], "SELECT d.customer_id, p.debt_id, p.promised_through, p.step_id FROM promises p "
                                "JOIN debts d ON d.id = p.debt_id AND d.due_date = p.due_date "
                                "WHERE d.customer_id IN (%s) AND d.paid_at IS NULL ORDER BY p.created_at", m);
    for (int k = 0; k < 5; k++) statements[k] = prepare(rdb, q[k]);
    free(m);
}

/* The planner's view of the chunk: customers, debts, claimed steps, promises, recent contacts (the rows
 * are read column by column, as the Swift code decodes them). */
static void load(char **ids, int n) {
    int w = 0;
    while (widths[w] < n) w++;
    if (!load_statements[w][0]) prepare_load(load_statements[w], widths[w]);
    run(r_begin);
    static const int order[] = {0, 1, 2, 4, 3};  /* customers, debts, claimed steps, promises, recent contacts */
    for (int j = 0; j < 5; j++) {
        int k = order[j];
        sqlite3_stmt *s = load_statements[w][k];
        for (int i = 0; i < widths[w]; i++) text(s, i + 1, ids[i < n ? i : n - 1]);
        if (k == 3) sqlite3_bind_double(s, widths[w] + 1, now - 7 * 86400);
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(s); c++) (void)sqlite3_column_value(s, c), (void)sqlite3_column_bytes(s, c);
            if (k == 0) {
                const char *segment = (const char *)sqlite3_column_text(s, 9);
                segment_changes[atoi((const char *)sqlite3_column_text(s, 0) + 1)] = !segment || strcmp(segment, "forgetful");
            }
        }
        sqlite3_reset(s);
    }
    run(r_version);
    run(r_commit);
}

/* "att_", the tick's milliseconds, a tag (10 digits) and a count (4 digits), in base 36, as
 * `AttemptIDSequence.next` makes them: a tick's ids are one run, so they are made in order. */
static void attempt_id(char *out, unsigned long long seq) {
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    if (seq >= 36 * 36 * 36 * 36) die(NULL, "more ids than 4 base-36 digits count (Lembra widens the count; this replay does not)");
    strcpy(out, "att_mwm4pb40k7f3q2x9d1");
    char *p = out + strlen(out);
    for (int i = 3; i >= 0; i--) { p[i] = digits[seq % 36]; seq /= 36; }
    p[4] = 0;
}

struct claimed { char public_id[40]; sqlite3_int64 key; };

/* One attempt and its step (debt, due date, step id): the claimed message, with its payload, or a
 * step the plan gives up with its reason (a `skipped` attempt, no payload). */
static void record_step(const char *customer, const char *debt, const char *template, const char *step_id, const char *reason,
                        const void *payload, int bytes, struct claimed *c) {
    if (!lean) {
        text(w_attempt, 1, c->public_id); text(w_attempt, 2, customer); text(w_attempt, 3, "reminder"); text(w_attempt, 4, "email");
        text(w_attempt, 5, template); text(w_attempt, 6, "forgetful"); text(w_attempt, 7, step_id); sqlite3_bind_int(w_attempt, 8, 0);
        text(w_attempt, 9, reason ? "skipped" : "claimed");
        if (reason) text(w_attempt, 10, reason); else sqlite3_bind_null(w_attempt, 10);
        sqlite3_bind_double(w_attempt, 11, now); sqlite3_bind_double(w_attempt, 12, now);
        run(w_attempt);
        c->key = sqlite3_last_insert_rowid(wdb);
        sqlite3_bind_int64(w_item, 1, c->key); text(w_item, 2, debt); text(w_item, 3, due_iso); text(w_item, 4, step_id);
        run(w_item);
        if (sqlite3_changes(wdb) == 0) die(NULL, "step already claimed");
        if (!reason) {
            sqlite3_bind_int64(w_payload, 1, c->key);
            sqlite3_bind_blob(w_payload, 2, payload, bytes, SQLITE_STATIC);
            run(w_payload);
        }
    } else {
        text(w_attempt, 1, customer); text(w_attempt, 2, "email"); text(w_attempt, 3, template); text(w_attempt, 4, "forgetful");
        text(w_attempt, 5, step_id); sqlite3_bind_int(w_attempt, 6, reason ? 7 : 0);
        if (reason) text(w_attempt, 7, reason); else sqlite3_bind_null(w_attempt, 7);
        sqlite3_bind_double(w_attempt, 8, now); sqlite3_bind_double(w_attempt, 9, now);
        run(w_attempt);
        c->key = sqlite3_last_insert_rowid(wdb);
        text(w_item, 1, debt); sqlite3_bind_int(w_item, 2, due_day); text(w_item, 3, step_id); sqlite3_bind_int64(w_item, 4, c->key);
        run(w_item);
        if (sqlite3_changes(wdb) == 0) die(NULL, "step already claimed");
        text(w_claim, 1, debt); sqlite3_bind_int(w_claim, 2, due_day); text(w_claim, 3, step_id);
        run(w_claim);
        if (!reason) {
            sqlite3_bind_int64(w_payload, 1, c->key); text(w_payload, 2, c->public_id);
            sqlite3_bind_blob(w_payload, 3, payload, bytes, SQLITE_STATIC);
            run(w_payload);
        }
    }
}

/* One chunk in one commit, in the tick's order: each customer's claimed message; the two steps
 * before the due date that its plan gives up (`expired`: the generated debts were imported one
 * day overdue), as `SQLiteLedger.recordSkipped` writes them; each customer's segment and next check. */
static void claim(char **ids, int n, const void *payload, int bytes, struct claimed *out, unsigned long long *seq) {
    char debt[32];
    struct claimed skipped;
    run(w_begin);
    run(w_version);
    for (int i = 0; i < n; i++) {
        snprintf(debt, sizeof debt, "d%s", ids[i] + 1);
        attempt_id(out[i].public_id, (*seq)++);
        record_step(ids[i], debt, "friendly", "forgetful.1d", NULL, payload, bytes, &out[i]);
    }
    for (int i = 0; i < n; i++) {
        snprintf(debt, sizeof debt, "d%s", ids[i] + 1);
        attempt_id(skipped.public_id, (*seq)++);
        record_step(ids[i], debt, "upcoming", "upcoming.-3d", "expired", "", 0, &skipped);
        attempt_id(skipped.public_id, (*seq)++);
        record_step(ids[i], debt, "due-today", "upcoming.0d", "expired", "", 0, &skipped);
    }
    for (int i = 0; i < n; i++) {
        snprintf(debt, sizeof debt, "d%s", ids[i] + 1);
        if (segment_changes[atoi(ids[i] + 1)]) {
            text(w_segment, 1, "forgetful"); text(w_segment, 2, ids[i]);
            run(w_segment);
        }
        sqlite3_bind_double(w_check, 1, next_check); sqlite3_bind_null(w_check, 2); sqlite3_bind_null(w_check, 3);
        sqlite3_bind_null(w_check, 4); text(w_check, 5, debt);
        run(w_check);
    }
    count_final("skipped", 2 * n);
    commit();
}

static void bind_id(sqlite3_stmt *s, int i, const struct claimed *c) {
    if (lean) sqlite3_bind_int64(s, i, c->key); else text(s, i, c->public_id);
}

/* The previous batch's outcomes (sent) and the next batch's `sending` marks, in one commit. */
static void mark_and_record(const struct claimed *done, int ndone, const struct claimed *next, int nnext) {
    run(w_begin);
    for (int i = 0; i < ndone; i++) {
        if (lean) sqlite3_bind_int(w_outcome, 1, 3); else text(w_outcome, 1, "sent");
        sqlite3_bind_null(w_outcome, 2); sqlite3_bind_null(w_outcome, 3); sqlite3_bind_int(w_outcome, 4, 1);
        sqlite3_bind_int(w_outcome, 5, 1); sqlite3_bind_double(w_outcome, 6, now); bind_id(w_outcome, 7, &done[i]);
        run(w_outcome);
    }
    for (int i = 0; i < nnext; i++) {
        sqlite3_bind_double(w_mark, 1, now); bind_id(w_mark, 2, &next[i]); sqlite3_bind_double(w_mark, 3, now);
        run(w_mark);
        if (sqlite3_changes(wdb) != 1) die(NULL, "attempt not marked sending");
    }
    count_final("sent", ndone);
    commit();
    sync_wal();
}

static sqlite3 *open_db(void) {
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) die(db, path);
    sqlite3_busy_timeout(db, 5000);
    exec(db, "PRAGMA foreign_keys = ON");
    return db;
}

int main(int argc, char **argv) {
    if (argc != 6 || (strcmp(argv[1], "replay") && strcmp(argv[1], "lean"))) {
        fprintf(stderr, "usage: ledger_replay replay|lean DB N PAYLOAD_BYTES BATCH\n");
        return 64;
    }
    lean = !strcmp(argv[1], "lean");
    path = argv[2];
    int n = atoi(argv[3]), bytes = atoi(argv[4]), batch = atoi(argv[5]);
    void *payload = malloc(bytes);
    memset(payload, 'x', bytes);

    wdb = open_db();
    exec(wdb, "PRAGMA journal_mode = WAL");
    exec(wdb, "PRAGMA synchronous = NORMAL");
    if (lean) create_lean();
    char wal[4096];
    snprintf(wal, sizeof wal, "%s-wal", path);
    if ((walfd = open(wal, O_RDONLY | O_CLOEXEC)) < 0) die(NULL, wal);
    rdb = open_db();
    exec(rdb, "PRAGMA query_only = 1");
    prepare_all();

    double t = thread_cpu_us(), t_load = 0, t_claim = 0, t_mark;
    char **ids = malloc(sizeof *ids * n);
    int count = 0;
    run(r_begin);
    sqlite3_bind_double(r_due, 1, now); sqlite3_bind_int(r_due, 2, 10000 > n ? 10000 : n);
    while (sqlite3_step(r_due) == SQLITE_ROW && count < n) ids[count++] = strdup((const char *)sqlite3_column_text(r_due, 0));
    sqlite3_reset(r_due);
    run(r_commit);
    if (count != n) { fprintf(stderr, "ledger_replay: %d due customers, expected %d\n", count, n); return 1; }
    int highest = 0;
    for (int i = 0; i < n; i++) { int k = atoi(ids[i] + 1); if (k > highest) highest = k; }
    segment_changes = calloc(highest + 1, 1);
    t_load += thread_cpu_us() - t;

    struct claimed *claimed = malloc(sizeof *claimed * n);
    unsigned long long seq = 1;
    for (int start = 0, size = FIRST_CHUNK; start < n; start += size, size = size * 2 > MAX_CHUNK ? MAX_CHUNK : size * 2) {
        int k = n - start < size ? n - start : size;
        t = thread_cpu_us();
        load(ids + start, k);
        double t1 = thread_cpu_us();
        t_load += t1 - t;
        claim(ids + start, k, payload, bytes, claimed + start, &seq);
        t_claim += thread_cpu_us() - t1;
    }

    t = thread_cpu_us();
    int prev = 0, nprev = 0;
    for (int from = 0; from < n; from += batch) {
        int k = n - from < batch ? n - from : batch;
        mark_and_record(claimed + prev, nprev, claimed + from, k);
        prev = from; nprev = k;
    }
    mark_and_record(claimed + prev, nprev, NULL, 0);
    t_mark = thread_cpu_us() - t;

    printf("messages=%d load=%.2fus claim=%.2fus mark_and_record=%.2fus total=%.2fus (CPU per message)\n", n, t_load / n, t_claim / n,
           t_mark / n, (t_load + t_claim + t_mark) / n);
    sqlite3_close_v2(rdb);
    sqlite3_close_v2(wdb);
    return 0;
}
