/// The numbers `lembra status` prints and the metrics export.
public struct LedgerStatus: Sendable, Equatable {
    /// Open debts by the customer's last computed segment ("unplanned" before the first tick).
    public var openDebtsBySegment: [String: Int] = [:]
    public var openTotalCents: Int64 = 0
    public var attemptsByState: [String: Int] = [:]
    /// Attempts that may or may not have arrived (the process stopped mid-send).
    public var inDoubt: [Attempt] = []
    /// The latest permanent failures.
    public var recentDead: [Attempt] = []
    public init() {}
}
