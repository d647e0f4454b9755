import Foundation
import GRDB

extension SQLiteLedger {
    /// Raises the controls version, inside the transaction of a control that stops messages.
    ///
    /// The tick plans a chunk of customers from one read, renders it, and claims it in a later
    /// write. A control committed in between finds nothing pending to cancel (the claim is not
    /// written yet), so the claim must notice instead: it is made only if the version it reads
    /// under the write lock is still the one read with the cases (`claim(_:saving:now:ifControlsAt:)`).
    /// Hence the raise happens even when the control cancels nothing: what matters is that the
    /// planner's view may now be stale, not whether something was already claimed.
    ///
    /// One ledger-wide row rather than a per-customer stamp: the claim pays one indexed read per
    /// chunk instead of one per message, and controls are rare enough that re-planning a whole
    /// chunk now and then costs less than checking every message every time.
    ///
    /// Controls that allow messages again (resume, opt-in, resolve) do not raise it: a plan read
    /// before them merely sends less than it could, and the next tick (they make the customer's
    /// debts due again) sends the rest.
    func bumpControlsVersion(_ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE controls_version SET version = version + 1 WHERE id = 1").execute()
    }

    /// The current controls version, in `db`'s transaction.
    func controlsVersion(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT version FROM controls_version WHERE id = 1")) ?? 0
    }

    /// The current controls version (for tests and diagnostics; the tick reads it with its
    /// cases, through `planningSnapshot(customerIDs:now:)`).
    public func controlsVersion() throws(StoreError) -> Int64 {
        try read("read controls version") { db in try controlsVersion(db) }
    }
}
