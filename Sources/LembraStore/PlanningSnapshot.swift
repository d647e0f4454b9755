import LembraCore

/// What the planner sees of a chunk of customers, read in one transaction together with the
/// controls version at that instant. The tick claims what it plans from it only if that version
/// is still current (`SQLiteLedger.claim(_:saving:now:ifControlsAt:)`): otherwise a pause, opt-out,
/// dispute or payment committed after this read, and the chunk is read and planned again.
public struct PlanningSnapshot: Sendable {
    /// The customers asked for, in order, so the chunk can be read again as it was asked for.
    public let customerIDs: [String]
    /// The planner's view of them, in the same order (unknown ids left out).
    public let cases: [CustomerCase]
    /// The ledger's controls version when `cases` were read.
    public let controlsVersion: Int64

    public init(customerIDs: [String], cases: [CustomerCase], controlsVersion: Int64) {
        self.customerIDs = customerIDs; self.cases = cases; self.controlsVersion = controlsVersion
    }
}
