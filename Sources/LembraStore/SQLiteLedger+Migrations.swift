import Foundation
import GRDB

extension SQLiteLedger {
    /// Versioned schema. Never edit a shipped migration: add a new one.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE customers (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT, phone TEXT, document TEXT,
                    timezone TEXT, locale TEXT,
                    segment TEXT,                        -- last segment the planner computed
                    paused_through TEXT, pause_reason TEXT,
                    opted_out INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL, updated_at REAL NOT NULL);
                CREATE TABLE debts (
                    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(id),
                    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
                    paid_cents INTEGER NOT NULL DEFAULT 0,
                    due_date TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
                    currency TEXT NOT NULL DEFAULT 'BRL', payment_url TEXT,
                    paid_at REAL,
                    thanks_pending INTEGER NOT NULL DEFAULT 0,
                    dispute_reason TEXT,
                    next_check_at REAL,                  -- when the planner looks again; NULL = only on an event
                    hold_reason TEXT, hold_until REAL, held_at REAL,  -- why a due reminder waits (history shows it)
                    created_at REAL NOT NULL, updated_at REAL NOT NULL);
                CREATE INDEX debts_next_check ON debts(next_check_at) WHERE next_check_at IS NOT NULL;
                CREATE INDEX debts_customer ON debts(customer_id);
                CREATE TABLE payments (
                    id INTEGER PRIMARY KEY, debt_id TEXT NOT NULL REFERENCES debts(id),
                    amount_cents INTEGER NOT NULL, paid_at REAL NOT NULL, source TEXT NOT NULL, recorded_at REAL NOT NULL);
                CREATE INDEX payments_debt ON payments(debt_id);
                CREATE TABLE attempts (
                    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL,
                    kind TEXT NOT NULL, channel TEXT NOT NULL, template TEXT NOT NULL, segment TEXT NOT NULL,
                    step_id TEXT NOT NULL, handoff INTEGER NOT NULL,
                    state TEXT NOT NULL, reason TEXT, tries INTEGER NOT NULL DEFAULT 0, next_try_at REAL,
                    payload BLOB NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL);
                CREATE INDEX attempts_pending ON attempts(state, next_try_at);
                CREATE INDEX attempts_customer ON attempts(customer_id, created_at);
                -- The promise: one reminder per (debt, due date, step), ever.
                CREATE TABLE attempt_items (
                    attempt_id TEXT NOT NULL REFERENCES attempts(id),
                    debt_id TEXT NOT NULL, due_date TEXT NOT NULL, step_id TEXT NOT NULL,
                    UNIQUE (debt_id, due_date, step_id));
                CREATE INDEX attempt_items_attempt ON attempt_items(attempt_id);
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY, at REAL NOT NULL, customer_id TEXT, debt_id TEXT,
                    kind TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '');
                CREATE INDEX events_customer ON events(customer_id);
                CREATE INDEX events_debt ON events(debt_id);
                CREATE TABLE imports (
                    sha256 TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, rows INTEGER NOT NULL, imported_at REAL NOT NULL);
                """)
        }
        // The tick's per-batch read of one channel's claimed attempts, in order, without a sort.
        m.registerMigration("v2") { db in
            try db.execute(sql: "CREATE INDEX attempts_sendable ON attempts(channel, state, created_at, id)")
        }
        // Cancelling a pending attempt (pause, opt-out, dispute, payment) gives its steps back to
        // the planner, unless a try may have reached the customer (`may_have_arrived`, sticky).
        // Given-back steps move from `attempt_items` (the unique key) to `released_items`, so
        // `history` still shows which debts the cancelled attempt covered. Attempts already in
        // the ledger count as arrived when they were ever tried or interrupted: nothing recorded
        // says otherwise, and a step wrongly kept is a missing reminder, not a double charge.
        m.registerMigration("v3") { db in
            try db.execute(sql: """
                ALTER TABLE attempts ADD COLUMN may_have_arrived INTEGER NOT NULL DEFAULT 0;
                UPDATE attempts SET may_have_arrived = 1
                WHERE tries > 0 OR state IN ('sending', 'sent', 'in_doubt') OR reason = 'interrupted_resend';
                CREATE TABLE released_items (
                    attempt_id TEXT NOT NULL REFERENCES attempts(id),
                    debt_id TEXT NOT NULL, due_date TEXT NOT NULL, step_id TEXT NOT NULL);
                CREATE INDEX released_items_attempt ON released_items(attempt_id);
                CREATE INDEX released_items_debt ON released_items(debt_id);
                """)
        }
        // Earlier versions let a debts import lower an open debt's amount to what was already paid
        // without settling it, so it went on being chased for R$ 0,00. Settle those as a payment
        // would have: paid when last paid, thank-you queued, pending reminders cancelled, and
        // looked at by the next tick.
        m.registerMigration("v4") { db in
            let now = Date().timeIntervalSince1970
            let paidUp = "paid_at IS NULL AND paid_cents >= amount_cents"
            try db.execute(sql: """
                UPDATE attempts SET state = 'cancelled', reason = 'paid', updated_at = ?
                WHERE state IN ('claimed', 'retry') AND kind = 'reminder'
                  AND id IN (SELECT attempt_id FROM attempt_items WHERE debt_id IN (SELECT id FROM debts WHERE \(paidUp)));
                INSERT INTO events (at, customer_id, debt_id, kind, detail)
                  SELECT ?, customer_id, id, 'settled', 'amount_cents=' || amount_cents || ' paid_cents=' || paid_cents || ' source=upgrade'
                  FROM debts WHERE \(paidUp);
                UPDATE debts SET paid_at = COALESCE((SELECT max(p.paid_at) FROM payments p WHERE p.debt_id = debts.id), ?),
                  thanks_pending = 1, next_check_at = 0, hold_reason = NULL
                WHERE \(paidUp);
                """, arguments: [now, now, now])
        }
        // The bank's or Pix's transaction id of a payment, when imported with one: it, not the
        // amount and time, says whether a payment was already recorded.
        m.registerMigration("v5") { db in
            try db.execute(sql: """
                ALTER TABLE payments ADD COLUMN reference TEXT;
                CREATE UNIQUE INDEX payments_reference ON payments(debt_id, reference) WHERE reference IS NOT NULL;
                """)
        }
        // The controls version: one number, raised in the same commit by every control that stops
        // messages (pause, opt-out, dispute, a debt becoming paid). The tick reads it with the
        // cases it plans and claims only if it has not moved since, so a control that commits
        // between the planner's read and the claim can't be overtaken by a stale plan (see
        // `SQLiteLedger.bumpControlsVersion`).
        m.registerMigration("v6") { db in
            try db.execute(sql: """
                CREATE TABLE controls_version (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    version INTEGER NOT NULL);
                INSERT INTO controls_version (id, version) VALUES (1, 0);
                """)
        }
        // A second record of every claimed step, apart from `attempt_items`' unique index: a
        // table keyed on (debt, due date, step) in its own b-tree (WITHOUT ROWID: the key is the
        // table), kept in step by triggers on every insert and delete of an item. The claim looks
        // here, and its insert then meets both keys, so a damaged index that lost entries (which
        // `quick_check` does not see) no longer lets a step be claimed twice: both would have to
        // lose the same entry. `INSERT OR IGNORE`: a ledger already holding a duplicate keeps it
        // rather than failing to open (`check-ledger` reports it).
        m.registerMigration("v7") { db in
            try db.execute(sql: """
                CREATE TABLE step_claims (
                    debt_id TEXT NOT NULL, due_date TEXT NOT NULL, step_id TEXT NOT NULL,
                    PRIMARY KEY (debt_id, due_date, step_id)) WITHOUT ROWID;
                INSERT OR IGNORE INTO step_claims (debt_id, due_date, step_id) SELECT debt_id, due_date, step_id FROM attempt_items;
                CREATE TRIGGER step_claims_insert AFTER INSERT ON attempt_items BEGIN
                    INSERT INTO step_claims (debt_id, due_date, step_id) VALUES (NEW.debt_id, NEW.due_date, NEW.step_id);
                END;
                CREATE TRIGGER step_claims_delete AFTER DELETE ON attempt_items BEGIN
                    DELETE FROM step_claims WHERE debt_id = OLD.debt_id AND due_date = OLD.due_date AND step_id = OLD.step_id;
                END;
                """)
        }
        // The mark `lembra backup` leaves in its copy (when it was taken), so a daemon started on
        // a copy put back by hand refuses it, and `lembra restore` knows since when what went out
        // is missing from it. The ledger in use never has a row here.
        m.registerMigration("v8") { db in
            try db.execute(sql: "CREATE TABLE backup_marker (id INTEGER PRIMARY KEY CHECK (id = 1), taken_at REAL NOT NULL)")
        }
        // Payments confirmed over HTTP (the ingress) that match no open debt, kept for the
        // operator (`lembra status`); and the txid of each debt's Pix code, so a Pix confirmation
        // finds its debt by index, with the newest debt it has seen (see `SQLiteLedger+Ingress.swift`).
        m.registerMigration("unmatched payments and pix txids") { db in
            try db.execute(sql: """
                CREATE TABLE unmatched_payments (
                    id INTEGER PRIMARY KEY, received_at REAL NOT NULL, reason TEXT NOT NULL,
                    target_kind TEXT NOT NULL,           -- debt | txid
                    target TEXT NOT NULL, amount_cents INTEGER NOT NULL, paid_at REAL NOT NULL, reference TEXT NOT NULL,
                    UNIQUE (target_kind, target, reference));
                CREATE TABLE pix_txids (txid TEXT PRIMARY KEY, debt_id TEXT NOT NULL) WITHOUT ROWID;
                CREATE UNIQUE INDEX pix_txids_debt ON pix_txids(debt_id);
                CREATE TABLE pix_txids_seen (id INTEGER PRIMARY KEY CHECK (id = 1), debt_rowid INTEGER NOT NULL, debt_id TEXT NOT NULL);
                """)
        }
        // The per-channel index of attempts waiting to go (v2) holds only those: claimed ones and
        // retries. Every state change rewrote an entry of the full index; now a claim adds one,
        // its `sending` mark removes it and its outcome does not touch it (a retry adds it back),
        // and the `skipped` records a tick writes beside its claims never enter it. The
        // `attempts_pending` index (state, next_try_at) still serves everything else that looks
        // attempts up by state (status counts, interrupted attempts, due retries). The condition
        // is an `OR`, not `IN`: SQLite evaluates an `IN` list in an index's condition through a
        // temporary table at every row change, which in the lean floor of BENCHMARKS.md cost
        // more than the index saved.
        m.registerMigration("attempts_to_send: index only the attempts waiting to go") { db in
            try db.execute(sql: """
                DROP INDEX attempts_sendable;
                CREATE INDEX attempts_to_send ON attempts(channel, state, created_at, id) WHERE state = 'claimed' OR state = 'retry';
                """)
        }
        // Payment promises made on the ingress's promise page: one per debt, due date and ladder
        // step (the link's step), so a link works once; the latest one of a debt's current due
        // date holds its reminders (see `SQLiteLedger+Promises.swift`).
        m.registerMigration("promises: payment promises, one per debt step") { db in
            try db.execute(sql: """
                CREATE TABLE promises (
                    debt_id TEXT NOT NULL, due_date TEXT NOT NULL, step_id TEXT NOT NULL,
                    promised_through TEXT NOT NULL, created_at REAL NOT NULL,
                    PRIMARY KEY (debt_id, due_date, step_id)) WITHOUT ROWID;
                """)
        }
        // An attempt's payload (the rendered message, about 1 KB) in its own table, written once
        // at the claim and never rewritten: with it in the attempt row, the `sending` mark and
        // the outcome each rewrote the whole kilobyte (see BENCHMARKS.md, issue 14). Attempts
        // without a payload (skipped, restored) have no row there. The payload is keyed by the
        // attempt's integer key `seq`, an INTEGER PRIMARY KEY: an alias of the rowid, which
        // VACUUM never renumbers (an undeclared rowid it may), and one b-tree to append to, where
        // a text key would be two (the table and its key's index). The public id stays the
        // attempt's unique key, which the items refer to and every update looks attempts up by.
        //
        // SQLite can't drop a column in place without rewriting the table either, so `attempts`
        // is rebuilt by its documented procedure (new table, copy, drop, rename; GRDB runs a
        // migration with foreign keys off and checks them before it commits), each attempt
        // keeping its rowid as `seq`, and its indexes made again as they were. The state index
        // `attempts_pending` stays: `lembra status` (which every tick with a `metrics_file:` runs)
        // counts attempts by state through it, and without it that count reads every attempt
        // row (about 5 times slower on a million attempts).
        m.registerMigration("attempt payloads: their own table, written once") { db in
            let columns = """
                id, customer_id, kind, channel, template, segment, step_id, handoff, state, reason, tries, next_try_at,
                may_have_arrived, created_at, updated_at
                """
            try db.execute(sql: """
                CREATE TABLE attempts_new (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE, customer_id TEXT NOT NULL,
                    kind TEXT NOT NULL, channel TEXT NOT NULL, template TEXT NOT NULL, segment TEXT NOT NULL,
                    step_id TEXT NOT NULL, handoff INTEGER NOT NULL,
                    state TEXT NOT NULL, reason TEXT, tries INTEGER NOT NULL DEFAULT 0, next_try_at REAL,
                    may_have_arrived INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL, updated_at REAL NOT NULL);
                INSERT INTO attempts_new (seq, \(columns)) SELECT rowid, \(columns) FROM attempts ORDER BY rowid;
                CREATE TABLE attempt_payloads (
                    attempt INTEGER PRIMARY KEY REFERENCES attempts(seq),
                    payload BLOB NOT NULL);
                INSERT INTO attempt_payloads (attempt, payload) SELECT rowid, payload FROM attempts WHERE length(payload) > 0 ORDER BY rowid;
                DROP TABLE attempts;
                ALTER TABLE attempts_new RENAME TO attempts;
                CREATE INDEX attempts_pending ON attempts(state, next_try_at);
                CREATE INDEX attempts_customer ON attempts(customer_id, created_at);
                CREATE INDEX attempts_to_send ON attempts(channel, state, created_at, id) WHERE state = 'claimed' OR state = 'retry';
                """)
        }
        // Attempts counted by state without an index over every attempt's state (see
        // `FinalStateTally`): `attempts_pending` (state, next_try_at) gave way to a partial index
        // over the few attempts in `sending`, `in_doubt` or `dead`, and the final states that
        // grow without end (`sent`, `skipped`, `cancelled`) are counted in `attempt_counts`,
        // which the writes keep. `claimed` and `retry` stay in `attempts_to_send`. A `sending`
        // mark now adds one index entry and its outcome removes it, where each moved one in
        // `attempts_pending`, and a skipped step writes none. The counts are taken before the
        // old index goes, through it. The condition is an `OR` of equalities, for the reason given
        // at `attempts_to_send`.
        m.registerMigration("attempt counts: final states counted, not indexed") { db in
            try db.execute(sql: """
                CREATE TABLE attempt_counts (state TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO attempt_counts (state, n) VALUES ('sent', 0), ('skipped', 0), ('cancelled', 0);
                UPDATE attempt_counts SET n = (SELECT count(*) FROM attempts a WHERE a.state = attempt_counts.state);
                DROP INDEX attempts_pending;
                CREATE INDEX attempts_unsettled ON attempts(state, updated_at) WHERE state = 'sending' OR state = 'in_doubt' OR state = 'dead';
                """)
        }
        // A claimed step names its attempt by the attempt's integer key (`seq`), not its public
        // id: the item's index on its attempt then holds integers, not 26-character strings, and
        // the foreign key is checked on the attempts' own b-tree (their rowid) rather than through
        // the index of their public ids. About 3 µs a message in the C replay of the tick (see
        // BENCHMARKS.md). `released_items` keeps the public id: it is written only on a cancel.
        //
        // Rebuilt by SQLite's procedure for changing a table (the triggers and the index go
        // first and are made again; GRDB checks the foreign keys before it commits), each item
        // keeping its rowid. An item whose attempt is missing, or a step claimed twice (which v7
        // let an already damaged ledger keep), can't be carried over: the upgrade stops as damage
        // rather than lose a record of a claimed step. Both are counted from the table's rows, not
        // through its unique index, the one thing a damaged claim record may have lost entries of.
        m.registerMigration("attempt items: their attempt by its integer key") { db in
            let twice = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM (SELECT 1 FROM attempt_items NOT INDEXED GROUP BY debt_id, due_date, step_id HAVING count(*) > 1)
                """) ?? 0
            guard twice == 0 else {
                throw StoreError(.damaged, "upgrade attempt items", "\(twice) steps are claimed more than once; "
                                 + SQLiteLedger.damagedAdvice)
            }
            try db.execute(sql: """
                DROP TRIGGER step_claims_insert;
                DROP TRIGGER step_claims_delete;
                DROP INDEX attempt_items_attempt;
                ALTER TABLE attempt_items RENAME TO attempt_items_old;
                CREATE TABLE attempt_items (
                    attempt INTEGER NOT NULL REFERENCES attempts(seq),
                    debt_id TEXT NOT NULL, due_date TEXT NOT NULL, step_id TEXT NOT NULL,
                    UNIQUE (debt_id, due_date, step_id));
                INSERT INTO attempt_items (rowid, attempt, debt_id, due_date, step_id)
                SELECT i.rowid, a.seq, i.debt_id, i.due_date, i.step_id
                FROM attempt_items_old i JOIN attempts a ON a.id = i.attempt_id ORDER BY i.rowid;
                """)
            let lost = try Int.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM attempt_items_old NOT INDEXED) - (SELECT count(*) FROM attempt_items NOT INDEXED)
                """) ?? 0
            guard lost == 0 else {
                throw StoreError(.damaged, "upgrade attempt items", "\(lost) claimed steps name an attempt the ledger does not hold; "
                                 + SQLiteLedger.damagedAdvice)
            }
            try db.execute(sql: """
                DROP TABLE attempt_items_old;
                CREATE INDEX attempt_items_attempt ON attempt_items(attempt);
                CREATE TRIGGER step_claims_insert AFTER INSERT ON attempt_items BEGIN
                    INSERT INTO step_claims (debt_id, due_date, step_id) VALUES (NEW.debt_id, NEW.due_date, NEW.step_id);
                END;
                CREATE TRIGGER step_claims_delete AFTER DELETE ON attempt_items BEGIN
                    DELETE FROM step_claims WHERE debt_id = OLD.debt_id AND due_date = OLD.due_date AND step_id = OLD.step_id;
                END;
                """)
        }
        // Claimed steps keyed by the step itself: `attempt_items` becomes a WITHOUT ROWID table
        // whose primary key is (debt, due date, step), so the key is the table and no index of it
        // can lose entries while the rows stay. That damage is what v7's second record,
        // `step_claims`, guarded against; with nothing left to disagree with, it goes, with its
        // triggers. An item was four b-trees (its rows, the unique index, the index by attempt,
        // `step_claims`) and is now two (the table, the index by attempt), written for every
        // claimed and skipped step: about 6 µs a message in the C replay (BENCHMARKS.md). The key
        // comes first among the columns: SQLite 3.40's `integrity_check` misreads a NOT NULL
        // column that precedes the primary key of a WITHOUT ROWID table as NULL.
        //
        // The items are carried over from the table's rows, read without their indexes, so a step
        // `step_claims` lacks (v7 filled it through the unique index, which may have lost
        // entries then) stays claimed. Two cases stop the upgrade as damage, as in the migration
        // before this one, because no choice of rows mends them: a step `step_claims` holds whose
        // item is gone (nothing to say which attempt claimed it), and a step claimed twice.
        m.registerMigration("attempt items: keyed by their step") { db in
            let count = { (sql: String) in try Int.fetchOne(db, sql: "SELECT count(*) FROM (\(sql))") ?? 0 }
            let items = "SELECT debt_id, due_date, step_id FROM attempt_items NOT INDEXED"
            let lost = try count("SELECT debt_id, due_date, step_id FROM step_claims EXCEPT \(items)")
            let twice = try count("\(items) GROUP BY debt_id, due_date, step_id HAVING count(*) > 1")
            guard lost == 0, twice == 0 else {
                throw StoreError(.damaged, "upgrade attempt items", "\(lost) steps recorded as claimed have lost their claim and \(twice) "
                                 + "are claimed more than once; " + SQLiteLedger.damagedAdvice)
            }
            try db.execute(sql: """
                DROP TRIGGER step_claims_insert;
                DROP TRIGGER step_claims_delete;
                DROP INDEX attempt_items_attempt;
                ALTER TABLE attempt_items RENAME TO attempt_items_old;
                CREATE TABLE attempt_items (
                    debt_id TEXT NOT NULL, due_date TEXT NOT NULL, step_id TEXT NOT NULL,
                    attempt INTEGER NOT NULL REFERENCES attempts(seq),
                    PRIMARY KEY (debt_id, due_date, step_id)) WITHOUT ROWID;
                INSERT INTO attempt_items (attempt, debt_id, due_date, step_id)
                SELECT attempt, debt_id, due_date, step_id FROM attempt_items_old NOT INDEXED;
                DROP TABLE attempt_items_old;
                DROP TABLE step_claims;
                CREATE INDEX attempt_items_attempt ON attempt_items(attempt);
                """)
        }
        // `attempts_to_send` without the public id: attempts waiting to go are taken in order of
        // their creation and then of their integer key (`seq`, the order they were claimed in),
        // which every index entry ends with anyway, where the 26-character id made each entry
        // about twice as long. A claim adds an entry and its `sending` mark removes it: about
        // 2 µs an e-mail in the C replay (BENCHMARKS.md).
        m.registerMigration("attempts_to_send: ordered by the integer key") { db in
            try db.execute(sql: """
                DROP INDEX attempts_to_send;
                CREATE INDEX attempts_to_send ON attempts(channel, state, created_at) WHERE state = 'claimed' OR state = 'retry';
                """)
        }
        return m
    }
}
