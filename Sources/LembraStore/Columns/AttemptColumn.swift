/// The columns `SQLiteLedger.attempt(_:)` reads, from `SQLiteLedger.attemptsWithPayloads`
/// (`a`, the attempt; `p`, its payload).
enum AttemptColumn: Int, ColumnList {
    case id, customerID, kind, channel, template, segment, stepID, handoff, state, reason, tries, nextTryAt
    case payload, createdAt, updatedAt
    /// The debts it covers, space-separated (`SQLiteLedger.attemptDebtIDs`).
    case debtIDs

    var expression: String {
        switch self {
        case .payload: "p.payload"
        case .debtIDs: SQLiteLedger.attemptDebtIDs
        default: "a." + Self.snakeCase("\(self)")
        }
    }
}
