/// The columns the planner reads of a customer (`SQLiteLedger.customer(_:)`, then the case's
/// pause and opt-out).
enum CustomerColumn: Int, ColumnList {
    case id, name, email, phone, document, timezone, locale, pausedThrough, optedOut
}
