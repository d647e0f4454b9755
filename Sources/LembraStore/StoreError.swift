import LembraCore

/// A failure of the ledger, with the operation that failed. Kept small on purpose: callers map
/// `kind` to an exit code (sysexits) and print `description`.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The database can't be opened, created or migrated (exit 73 / 69).
        case unavailable
        /// A referenced customer or debt doesn't exist (exit 65).
        case notFound
        /// The request contradicts the data, e.g. paying a paid debt (exit 65).
        case invalid
        /// SQLite said busy or locked past the timeout (exit 75).
        case busy
        /// The database file was deleted or replaced while in use (exit 69): whatever is written
        /// now goes into a file nobody will read again, so nothing more may be claimed or sent.
        case replaced
        /// SQLite found the database damaged (a failed integrity check, or a corrupt page met
        /// while working) (exit 69): a damaged index may no longer refuse a second claim.
        case damaged
    }

    public var kind: Kind
    public var operation: String
    public var message: String
    /// For a rejected import: every bad row, each naming its row and column.
    public var rowErrors: [CSVError]

    public init(_ kind: Kind, _ operation: String, _ message: String, rowErrors: [CSVError] = []) {
        self.kind = kind; self.operation = operation; self.message = message; self.rowErrors = rowErrors
    }

    public var description: String { "\(operation): \(message)" }

    /// The ledger can't be used safely any more (gone, replaced or damaged), as opposed to a
    /// temporary lock or bad input: the daemon stops rather than try again every tick.
    public var ledgerUnusable: Bool { [.unavailable, .replaced, .damaged].contains(kind) }
}
