import Foundation
import GRDB

extension SQLiteLedger {
    /// Has every open debt (and pending thank-you) planned again at this tick when the ledger's
    /// next checks were computed under another policy than `fingerprint` (see
    /// `CollectionPolicy.fingerprint`): new ladders or segments, a changed window or caps (a
    /// reload, a restart with an edited config), or a new planner. A next check is the first
    /// moment anything can fall due under the policy that computed it; under another, something
    /// may be due now (a new `0d` step, a segment with a lower threshold) and the daemon, which
    /// reads only the debts whose check has come, would not see it while `preview` does.
    /// Returns whether that brought any debt forward. The fingerprint lives in SQLite's `user_version` header field,
    /// which SQLite leaves to applications (the migrator keeps its own table): no migration, and
    /// a backup carries the one its checks were computed under.
    @discardableResult
    public func planAgainIfPolicyChanged(fingerprint: Int32, now: Date) throws(StoreError) -> Bool {
        try write("plan again") { db in
            guard try Int32.fetchOne(db, sql: "PRAGMA user_version") != fingerprint else { return false }
            // Those due already need nothing (after an import, that is all of them).
            try db.execute(sql: """
                UPDATE debts SET next_check_at = ?1
                WHERE (paid_at IS NULL OR thanks_pending = 1) AND (next_check_at IS NULL OR next_check_at > ?1)
                """, arguments: [now.timeIntervalSince1970])
            let brought = db.changesCount > 0
            try db.execute(sql: "PRAGMA user_version = \(fingerprint)")
            return brought
        }
    }

    /// Whether the ledger's next checks were computed under `fingerprint` (for `run --dry-run`,
    /// which must not write: when they were not, it plans every open debt, as the tick will).
    public func isPlanned(under fingerprint: Int32) throws(StoreError) -> Bool {
        try read("read policy fingerprint") { db in try Int32.fetchOne(db, sql: "PRAGMA user_version") == fingerprint }
    }
}
