/// The columns the planner reads of a customer (`SQLiteLedger.customer(_:)`, then the case's
/// pause, opt-out and last segment).
enum CustomerColumn: Int, ColumnList {
    case id, name, email, phone, document, timezone, locale, pausedThrough, optedOut, segment
}
