import Foundation
import GRDB
import LembraCore

/// Backups that can't be put back by mistake. A copy made by `lembra backup` carries the time it
/// was taken (`backup_marker`); the commands that write refuse a ledger with that mark, and
/// `lembra restore` installs the copy after recording as in doubt whatever may have gone out
/// since then, which the copy knows nothing of and would otherwise send again.
extension SQLiteLedger {
    /// Copies the whole database to `destination` while others keep using it (SQLite online
    /// backup), marked as a backup taken at `takenAt`. The copy is made and marked beside the
    /// destination, readable by its owner only, then renamed into place: an unmarked copy is
    /// never left where a restore would look.
    public func backup(to destination: String, takenAt: Date) throws(StoreError) {
        let temporary = destination + ".partial"
        do {
            SQLiteLedger.remove(temporary)
            try SQLiteLedger.createPrivateFile(temporary)
            let target = try DatabaseQueue(path: temporary)
            try pool.backup(to: target)
            try target.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO backup_marker (id, taken_at) VALUES (1, ?)", arguments: [takenAt.timeIntervalSince1970])
            }
            try target.close()
            try SQLiteLedger.seal(temporary)
            guard rename(temporary, destination) == 0 else {
                throw StoreError(.unavailable, "backup", "cannot rename \(temporary) to \(destination): \(String(cString: strerror(errno)))")
            }
        } catch {
            SQLiteLedger.remove(temporary)
            throw SQLiteLedger.wrap(error, "backup")
        }
    }

    /// Copies the database at `source` (a backup, or any Lembra ledger) to `destination`, a new
    /// file readable by its owner only, with SQLite's backup API: a source in WAL mode is read
    /// with its `-wal`. The source is opened read-only and left as it was.
    public static func copy(_ source: String, to destination: String) throws(StoreError) {
        var config = Configuration()
        config.readonly = true
        do {
            remove(destination)
            try createPrivateFile(destination)
            let from = try DatabaseQueue(path: source, configuration: config)
            defer { try? from.close() }
            let to = try DatabaseQueue(path: destination)
            try from.backup(to: to)
            try to.close()
            try seal(destination)
        } catch {
            remove(destination)
            throw wrap(error, "copy \(source)")
        }
    }

    /// Deletes a database file of ours and the journal files beside it: a `-wal` left by an
    /// earlier attempt must never meet a new file of that name, which SQLite would replay it into.
    public static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// When the ledger last recorded anything (an attempt, an event, an import, a customer, a
    /// debt, a payment, an unmatched payment or a promise): a copy without a mark was taken no
    /// earlier than this.
    public func lastChange() throws(StoreError) -> Date? {
        try read("last change") { db in
            try Double.fetchOne(db, sql: """
                SELECT max(t) FROM (SELECT max(updated_at) AS t FROM attempts UNION ALL SELECT max(at) FROM events
                  UNION ALL SELECT max(imported_at) FROM imports UNION ALL SELECT max(updated_at) FROM customers
                  UNION ALL SELECT max(updated_at) FROM debts UNION ALL SELECT max(recorded_at) FROM payments
                  UNION ALL SELECT max(received_at) FROM unmatched_payments UNION ALL SELECT max(created_at) FROM promises)
                """).map(Date.init(timeIntervalSince1970:))
        }
    }

    /// What a restored copy records, in one commit, before it is installed: every attempt still
    /// pending in it (claimed, sending, retry) and every message in `mayHaveGoneOut` (the steps
    /// that fell due since the copy was taken, from the planner) become `in_doubt` with reason
    /// `restored`, so they are never sent again blindly (a duplicate charge is repaid in double,
    /// CDC art. 42) and `status` lists them; the backup's mark goes. A step already in the copy
    /// is left as it is. Returns how many pending attempts and new steps were recorded.
    public func recordRestored(mayHaveGoneOut messages: [PlannedMessage], now: Date) throws(StoreError) -> (pending: Int, steps: Int) {
        try write("record restored") { db in
            let t = now.timeIntervalSince1970
            try db.execute(sql: """
                UPDATE attempts SET state = 'in_doubt', reason = 'restored', may_have_arrived = 1, updated_at = ?
                WHERE \(AttemptTransition.restore.guardClause)
                """, arguments: [t])
            let pending = db.changesCount
            var steps = 0
            for m in messages {
                let items = try m.items.filter { try !isInLedger(db, $0.key) }
                guard !items.isEmpty else { continue }
                let id = ClaimRequest.newAttemptID(now: now)
                var message = m
                message.items = items
                let seq = try insertAttempt(db, id: id, message: message, state: .inDoubt, reason: AttemptTransition.restoredReason, now: now)
                try db.execute(sql: "UPDATE attempts SET may_have_arrived = 1 WHERE seq = ?", arguments: [seq])
                for item in items {
                    try insertItem(db, attempt: seq, item.key)  // not in the ledger: filtered above
                    if m.kind == .thanks { try db.execute(sql: "UPDATE debts SET thanks_pending = 0 WHERE id = ?", arguments: [item.debt.id]) }
                }
                steps += items.count
            }
            try db.execute(sql: "DELETE FROM backup_marker")
            return (pending, steps)
        }
    }

    /// Closes the database and makes it one file that can be copied or renamed alone: its `-wal`
    /// folded in (see `seal`). `lembra restore` installs its prepared copy so.
    public func close() throws(StoreError) {
        do { try pool.close() } catch { throw SQLiteLedger.wrap(error, "close \(path)") }
        try SQLiteLedger.seal(path)
    }

    /// Folds the `-wal` of the database at `path` (no longer open) into the file and leaves it in
    /// rollback-journal mode, so it is one self-contained file: a copy that needs no `-wal`, and
    /// one a read-only reader opens without leaving `-wal` and `-shm` files beside it. A
    /// DatabasePool always opens it in WAL mode again.
    static func seal(_ path: String) throws(StoreError) {
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
            try queue.close()
        } catch { throw wrap(error, "seal \(path)") }
    }
}
