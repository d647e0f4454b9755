import GRDB
@testable import LembraStore
import TestSupport

/// A ledger file as an older Lembra left it: the schema migrated up to `version` only, open as a
/// plain queue so a test can fill it with rows of that era before the current code upgrades it.
struct OldLedger {
    let dir: TemporaryDirectory
    let path: String
    let queue: DatabaseQueue

    init(upTo version: String) throws {
        dir = try TemporaryDirectory("lembra-upgrade")
        path = dir.path("old.sqlite").path
        queue = try DatabaseQueue(path: path)
        try SQLiteLedger.migrator.migrate(queue, upTo: version)
    }

    /// Writes attempts of customer `c1` on channel `email`, one per (id, state), as the schema
    /// before the payload's own table held them (a ledger migrated up to at most "promises").
    func insertAttempts(_ attempts: [(id: String, state: String)]) throws {
        try queue.write { db in
            for (id, state) in attempts {
                try db.execute(sql: """
                    INSERT INTO attempts (id, customer_id, kind, channel, template, segment, step_id, handoff, state, payload, created_at, updated_at)
                    VALUES (?, 'c1', 'reminder', 'email', 'friendly', 'forgetful', 'x.1d', 0, ?, x'00', 0, 0)
                    """, arguments: [id, state])
            }
        }
    }
}
