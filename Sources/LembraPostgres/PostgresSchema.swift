/// The shared ledger's schema on PostgreSQL: the SQLite ledger's tables (`SQLiteLedger+Migrations`),
/// the same columns and keys, plus what several daemons on one database need:
/// - `customers.lease_owner`/`lease_until`: the daemon planning a customer, so two never plan
///   the same one at once (`PostgresLeases`); the owner stays once the lease ends, naming the
///   last daemon that planned it, so a claim from an older plan is refused;
/// - `customers.controls_version`: raised by every control that stops messages, per customer, so
///   a pause of one customer does not make every daemon's plans for all the others stale;
/// - `attempts.owner`/`lease_until`: the daemon sending an attempt; recovery after a crash touches
///   only attempts whose owner's lease ran out, never another live daemon's sends.
/// Not carried over: `backup_marker` (backups are `pg_dump`'s). Times are seconds since 1970 (`double precision`) and due dates ISO text, as in SQLite, so
/// both ledgers read and write the same values. Never edit a shipped migration: add one (a new
/// attempt state too: the `CHECK` lists the states literally, and `PostgresSchemaTests` compares
/// it with `AttemptState`).
public enum PostgresSchema {
    public static let migrations: [PostgresMigration] = [
        PostgresMigration("ledger tables", """
            CREATE TABLE customers (
                id text PRIMARY KEY, name text NOT NULL, email text, phone text, document text,
                timezone text, locale text, segment text,
                paused_through text, pause_reason text, opted_out boolean NOT NULL DEFAULT false,
                controls_version bigint NOT NULL DEFAULT 0,
                lease_owner text, lease_until double precision,
                created_at double precision NOT NULL, updated_at double precision NOT NULL);
            CREATE TABLE debts (
                id text PRIMARY KEY, customer_id text NOT NULL REFERENCES customers(id),
                amount_cents bigint NOT NULL CHECK (amount_cents > 0), paid_cents bigint NOT NULL DEFAULT 0,
                due_date text NOT NULL, description text NOT NULL DEFAULT '', currency text NOT NULL DEFAULT 'BRL',
                payment_url text, paid_at double precision, thanks_pending boolean NOT NULL DEFAULT false,
                dispute_reason text, next_check_at double precision,
                hold_reason text, hold_until double precision, held_at double precision,
                created_at double precision NOT NULL, updated_at double precision NOT NULL);
            CREATE INDEX debts_next_check ON debts(next_check_at, customer_id) WHERE next_check_at IS NOT NULL;
            CREATE INDEX debts_customer ON debts(customer_id);
            CREATE TABLE payments (
                id bigserial PRIMARY KEY, debt_id text NOT NULL REFERENCES debts(id),
                amount_cents bigint NOT NULL, paid_at double precision NOT NULL, source text NOT NULL,
                recorded_at double precision NOT NULL, reference text);
            CREATE INDEX payments_debt ON payments(debt_id);
            CREATE UNIQUE INDEX payments_reference ON payments(debt_id, reference) WHERE reference IS NOT NULL;
            CREATE TABLE attempts (
                id text PRIMARY KEY, customer_id text NOT NULL,
                kind text NOT NULL, channel text NOT NULL, template text NOT NULL, segment text NOT NULL,
                step_id text NOT NULL, handoff boolean NOT NULL,
                state text NOT NULL CHECK (state IN ('claimed', 'sending', 'sent', 'retry', 'dead', 'skipped', 'in_doubt', 'cancelled')),
                reason text, tries integer NOT NULL DEFAULT 0, next_try_at double precision,
                may_have_arrived boolean NOT NULL DEFAULT false,
                owner text, lease_until double precision,
                payload bytea NOT NULL, created_at double precision NOT NULL, updated_at double precision NOT NULL);
            CREATE INDEX attempts_pending ON attempts(state, next_try_at);
            CREATE INDEX attempts_customer ON attempts(customer_id, created_at);
            CREATE INDEX attempts_to_send ON attempts(channel, state, created_at, id) WHERE state IN ('claimed', 'retry');
            -- The promise: one reminder per (debt, due date, step), ever, whichever daemon claims it.
            CREATE TABLE attempt_items (
                attempt_id text NOT NULL REFERENCES attempts(id),
                debt_id text NOT NULL, due_date text NOT NULL, step_id text NOT NULL,
                UNIQUE (debt_id, due_date, step_id));
            CREATE INDEX attempt_items_attempt ON attempt_items(attempt_id);
            CREATE TABLE released_items (
                attempt_id text NOT NULL REFERENCES attempts(id),
                debt_id text NOT NULL, due_date text NOT NULL, step_id text NOT NULL);
            CREATE INDEX released_items_attempt ON released_items(attempt_id);
            CREATE INDEX released_items_debt ON released_items(debt_id);
            CREATE TABLE events (
                id bigserial PRIMARY KEY, at double precision NOT NULL, customer_id text, debt_id text,
                kind text NOT NULL, detail text NOT NULL DEFAULT '');
            CREATE INDEX events_customer ON events(customer_id);
            CREATE INDEX events_debt ON events(debt_id);
            CREATE TABLE imports (
                sha256 text PRIMARY KEY, kind text NOT NULL, name text NOT NULL, rows integer NOT NULL,
                imported_at double precision NOT NULL);
            CREATE TABLE unmatched_payments (
                id bigserial PRIMARY KEY, received_at double precision NOT NULL, reason text NOT NULL,
                target_kind text NOT NULL, target text NOT NULL, amount_cents bigint NOT NULL,
                paid_at double precision NOT NULL, reference text NOT NULL,
                UNIQUE (target_kind, target, reference));
            CREATE TABLE pix_txids (txid text PRIMARY KEY, debt_id text NOT NULL UNIQUE);
            CREATE TABLE promises (
                debt_id text NOT NULL, due_date text NOT NULL, step_id text NOT NULL,
                promised_through text NOT NULL, created_at double precision NOT NULL,
                PRIMARY KEY (debt_id, due_date, step_id));
            """),
        // The policy the open debts' next checks were computed under (`CollectionPolicy.fingerprint`),
        // SQLite's `user_version`: 0 until a daemon plans, as a new SQLite file.
        PostgresMigration("policy fingerprint", """
            CREATE TABLE policy_fingerprint (id integer PRIMARY KEY CHECK (id = 1), fingerprint integer NOT NULL);
            INSERT INTO policy_fingerprint (id, fingerprint) VALUES (1, 0);
            """),
        // The debts whose Pix txid is not in `pix_txids` yet, queued as they are inserted: the txid
        // is computed in Swift, so the index is filled later (`PostgresLedger.catchUpPixTxids`),
        // and this queue tells it which debts without a pass over all of them (SQLite compares
        // the last rowid; PostgreSQL has none, and concurrent imports commit out of order).
        PostgresMigration("pix txids to index, queued by a trigger", """
            CREATE TABLE pix_txids_pending (debt_id text PRIMARY KEY);
            INSERT INTO pix_txids_pending (debt_id) SELECT id FROM debts WHERE id NOT IN (SELECT debt_id FROM pix_txids);
            CREATE FUNCTION queue_pix_txid() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO pix_txids_pending (debt_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
                RETURN NULL;
            END $$;
            CREATE TRIGGER debts_queue_pix_txid AFTER INSERT ON debts FOR EACH ROW EXECUTE FUNCTION queue_pix_txid();
            """),
    ]
}
