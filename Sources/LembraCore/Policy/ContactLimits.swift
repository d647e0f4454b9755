/// How often one customer may be contacted. Handoff steps (tasks for a person) don't count.
public struct ContactLimits: Sendable, Equatable {
    /// Minimum seconds between two messages to the same customer.
    public var minGap: Double
    /// Messages in any rolling 7 days, at most.
    public var perCustomerPerWeek: Int

    public init(minGap: Double = 48 * 3600, perCustomerPerWeek: Int = 3) {
        self.minGap = minGap; self.perCustomerPerWeek = perCustomerPerWeek
    }
}
