/// What an import changed, for the command's output and the inbox log line.
public struct ImportSummary: Sendable, Equatable {
    public var inserted = 0
    /// Records changed: customers and debts by id, and payments recorded without a reference
    /// that a row of the file showed to be its own, by giving them its reference.
    public var updated = 0
    /// Debts that became paid through this import (each queues one thank-you).
    public var newlyPaid = 0
    /// Payments already recorded: the same reference, or without one the same debt, amount and
    /// paid_at as often as the file repeats them (see `SQLiteLedger.importPayments`).
    public var unchanged = 0
    public init() {}
}
