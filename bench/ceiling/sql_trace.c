/*
 * Checks that `ledger_replay replay` issues the statements Lembra issues: loaded with LD_PRELOAD
 * into a process using the system's libsqlite3, it writes every statement as it starts (its SQL
 * with the values bound, as `sqlite3_expanded_sql` gives it) to the file named by SQL_TRACE.
 * `scripts/bench-ledger.sh` runs `lembra-bench ledger` and the replay under it and compares the
 * two sequences, ids and times left out.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

static FILE *out;

int sqlite3_step(sqlite3_stmt *s) {
    static int (*real)(sqlite3_stmt *);
    if (!real) real = (int (*)(sqlite3_stmt *))dlsym(RTLD_NEXT, "sqlite3_step");
    if (!out) {
        const char *path = getenv("SQL_TRACE");
        out = fopen(path ? path : "/dev/null", "w");
    }
    if (out && !sqlite3_stmt_busy(s)) {
        char *sql = sqlite3_expanded_sql(s);
        fprintf(out, "STEP %s\n", sql ? sql : sqlite3_sql(s));
        sqlite3_free(sql);
    }
    return real(s);
}

__attribute__((destructor)) static void done(void) { if (out) fclose(out); }
