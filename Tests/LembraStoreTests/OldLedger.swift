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
}
