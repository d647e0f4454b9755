/// The numbers `lembra status` prints and the metrics export.
public struct LedgerStatus: Sendable, Equatable {
    /// Open debts by the customer's last computed segment ("unplanned" before the first tick).
    public var openDebtsBySegment: [String: Int] = [:]
    /// What is still owed on open debts, by currency code; "" for debts without one (the
    /// business's currency). Never summed across currencies.
    public var openTotalByCurrency: [String: Int64] = [:]
    /// Currencies whose open total is 2^53 cents (R$ 90 trillion) or more, which only amounts
    /// above the import maximum, stored by an older version, can reach: shown as too large,
    /// never as a wrong figure.
    public var openTotalTooLarge: Set<String> = []
    public var attemptsByState: [String: Int] = [:]
    /// Attempts that may or may not have arrived (the process stopped mid-send, or a backup was
    /// restored over what went out after it: reason `restored`).
    public var inDoubt: [Attempt] = []
    /// Reminders waiting for a channel that was down, by channel.
    public var waitingForChannel: [String: ChannelWait] = [:]
    /// The latest permanent failures.
    public var recentDead: [Attempt] = []
    public init() {}
}
