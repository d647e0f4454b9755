import Foundation
import LembraStore
import Testing

/// The fixture itself: each backend opens a fresh ledger, and the two are different databases.
struct BackendTests {
    @Test(arguments: Backend.allCases) func eachBackendOpensAFreshLedger(_ backend: Backend) throws {
        let first = try backend.open(), second = try backend.open()
        #expect(type(of: first.ledger) == type(of: second.ledger))
        #expect(first.location != second.location, "two ledgers, not one shared")
    }
}
