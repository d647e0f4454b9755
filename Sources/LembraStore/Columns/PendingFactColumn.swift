/// What `SQLiteLedger.pending` reads beside each attempt (after `AttemptColumn`'s): its
/// customer's zone, pause and opt-out, and whether a debt it covers was paid or disputed since.
enum PendingFactColumn: Int, ColumnList {
    case timezone, pausedThrough, optedOut, anyDebtPaid, anyDebtDisputed

    static var offset: Int { attemptColumns }
    private static let attemptColumns = AttemptColumn.allCases.count

    var expression: String {
        switch self {
        case .timezone: "c.timezone"
        case .pausedThrough: "c.paused_through"
        case .optedOut: "COALESCE(c.opted_out, 0)"
        case .anyDebtPaid: Self.anyDebt("d.paid_at IS NOT NULL")
        case .anyDebtDisputed: Self.anyDebt("d.dispute_reason IS NOT NULL")
        }
    }

    private static func anyDebt(_ condition: String) -> String {
        "EXISTS (SELECT 1 FROM attempt_items i JOIN debts d ON d.id = i.debt_id WHERE i.attempt = a.seq AND \(condition))"
    }
}
