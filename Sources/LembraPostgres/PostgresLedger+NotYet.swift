import Foundation
import LembraCore
import LembraStore

// Every role's operation that the PostgreSQL ledger does not implement yet answers this,
// naming the operation: a daemon or command pointed at PostgreSQL fails clearly instead of
// acting on half a ledger. Each role's file replaces its part; this file goes when none is left.
extension PostgresLedger {
    static func notYet(_ operation: String) -> StoreError {
        StoreError(.unavailable, operation, "not supported on the PostgreSQL ledger yet")
    }
}
