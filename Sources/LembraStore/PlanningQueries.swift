import GRDB

/// The five statements that read a chunk of customers for the planner, written for an `IN` list
/// of `width` parameters.
///
/// A chunk is padded up to the next width by repeating its last id (`IN` ignores duplicates), so
/// a connection prepares each statement once per width, and caches it, instead of once per
/// chunk: preparing statements of hundreds of parameters anew for every chunk cost about 3% of
/// a 5,000-message tick's instructions, all of it on the planning thread.
struct PlanningQueries {
    /// The widths, each twice the last; the widest is the most customers read at once.
    static let widths = [8, 16, 32, 64, 128, 256, 512]
    static let byWidth = widths.map(PlanningQueries.init(width:))
    static var widest: Int { widths[widths.count - 1] }

    let width: Int
    let customers: String
    let debts: String
    let ledgerItems: String
    /// Ordered so that each debt's latest promise is the one kept.
    let promises: String
    /// Takes one more parameter after the ids: the start of the seven days counted.
    let recentContacts: String

    init(width: Int) {
        let marks = databaseQuestionMarks(count: width)
        self.width = width
        customers = "SELECT \(SQLiteLedger.customerColumns) FROM customers WHERE id IN (\(marks))"
        debts = "SELECT \(SQLiteLedger.debtColumns) FROM debts WHERE customer_id IN (\(marks))"
        ledgerItems = """
            SELECT d.customer_id, i.debt_id, i.due_date, i.step_id FROM attempt_items i JOIN debts d ON d.id = i.debt_id
            WHERE d.customer_id IN (\(marks))
            """
        promises = """
            SELECT d.customer_id, p.debt_id, p.promised_through, p.step_id FROM promises p
            JOIN debts d ON d.id = p.debt_id AND d.due_date = p.due_date
            WHERE d.customer_id IN (\(marks)) AND d.paid_at IS NULL ORDER BY p.created_at
            """
        recentContacts = """
            SELECT customer_id, created_at FROM attempts
            WHERE customer_id IN (\(marks)) AND handoff = 0 AND kind = 'reminder' AND created_at > ?
              AND state IN ('claimed', 'sending', 'sent', 'retry', 'in_doubt')
            """
    }

    /// The statements for `ids` (at most the widest width, at least one) and their arguments:
    /// the ids, padded with the last one to the width.
    static func padded(_ ids: [String]) -> (queries: PlanningQueries, arguments: StatementArguments) {
        precondition(!ids.isEmpty && ids.count <= widest, "between 1 and \(widest) customers")
        let queries = byWidth.first { $0.width >= ids.count }!
        return (queries, StatementArguments(ids + repeatElement(ids[ids.count - 1], count: queries.width - ids.count)))
    }
}
