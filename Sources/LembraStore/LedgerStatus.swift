/// The numbers `lembra status` prints and the metrics export.
public struct LedgerStatus: Sendable, Equatable {
    /// Open debts by the customer's last computed segment ("unplanned" before the first tick).
    public var openDebtsBySegment: [String: Int] = [:]
    /// What is still owed on open debts, by currency code; "" for debts without one (the
    /// business's currency). Never summed across currencies.
    public var openTotalByCurrency: [String: Int64] = [:]
    public var attemptsByState: [String: Int] = [:]
    /// Attempts that may or may not have arrived (the process stopped mid-send, or a backup was
    /// restored over what went out after it: reason `restored`).
    public var inDoubt: [Attempt] = []
    /// The latest permanent failures.
    public var recentDead: [Attempt] = []
    public init() {}
}
