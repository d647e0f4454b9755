import Foundation
import LembraCore
import LembraStore

// The ledger's records as PostgreSQL answers them (text, by column name) and the column lists
// that produce them: the same columns and meanings as `SQLiteLedger`'s decoders, so both
// ledgers hand the planner and the lanes the same values.
extension PostgresLedger {
    /// The columns `customer(_:)` reads.
    static let customerColumns = "id, name, email, phone, document, timezone, locale"

    static func customer(_ row: PostgresRow) -> Customer {
        Customer(id: row.text("id"), name: row.text("name"), email: row["email"], phone: row["phone"], document: row["document"],
                 timezone: row["timezone"], locale: row["locale"].flatMap(MessageLocale.init(tag:)))
    }

    /// The columns `debt(_:)` reads.
    static let debtColumns = "id, customer_id, amount_cents, paid_cents, due_date, description, currency, payment_url, paid_at, created_at"

    /// A debt as the planner sees it: `amount` is what is still owed while open, the original
    /// once paid (as `SQLiteLedger.debt`).
    static func debt(_ row: PostgresRow) -> Debt {
        let amount = row.int64("amount_cents"), paid = row.int64("paid_cents")
        let paidAt = row.date("paid_at")
        return Debt(id: row.text("id"), customerID: row.text("customer_id"), amount: Money(cents: paidAt == nil ? max(amount - paid, 0) : amount),
                    dueDate: CalendarDate(iso: row.text("due_date")) ?? CalendarDate(dayNumber: 0), description: row.text("description"),
                    currency: row.text("currency"), paymentURL: row["payment_url"], paidAt: paidAt,
                    recordedAt: row.date("created_at") ?? Date(timeIntervalSince1970: 0))
    }

    /// The columns `attempt(_:)` reads, for an `attempts a` in the query.
    static let attemptColumns = """
        a.id, a.customer_id, a.kind, a.channel, a.template, a.segment, a.step_id, a.handoff, a.state, a.reason, a.tries,
        a.next_try_at, a.payload, a.created_at, a.updated_at, \(attemptDebtIDs) AS debt_ids
        """

    /// The debts an attempt covers, space-separated: its items, or the steps it gave back when
    /// it was cancelled (as `SQLiteLedger.attemptDebtIDs`).
    static let attemptDebtIDs = """
        COALESCE((SELECT string_agg(i.debt_id, ' ') FROM attempt_items i WHERE i.attempt_id = a.id),
                 (SELECT string_agg(r.debt_id, ' ') FROM released_items r WHERE r.attempt_id = a.id))
        """

    /// An attempt read back. `Attempt` offers other modules only the claim's initialiser, so it
    /// starts as the claim and takes every stored field.
    static func attempt(_ row: PostgresRow) -> Attempt {
        let message = PlannedMessage(kind: .reminder, customerID: row.text("customer_id"), segment: row.text("segment"), channel: row.text("channel"),
                                     template: row.text("template"), handoff: row.bool("handoff"), items: [], superseded: [])
        var a = Attempt(claimed: ClaimRequest(attemptID: row.text("id"), message: message, payload: row.bytes("payload")),
                        now: row.date("created_at") ?? Date(timeIntervalSince1970: 0))
        a.kind = row.text("kind"); a.stepID = row.text("step_id")
        a.state = AttemptState(rawValue: row.text("state")) ?? .dead; a.reason = row["reason"]; a.tries = Int(row.int64("tries"))
        a.nextTryAt = row.date("next_try_at"); a.updatedAt = row.date("updated_at") ?? a.createdAt
        a.debtIDs = (row["debt_ids"] ?? "").split(separator: " ").map(String.init)
        return a
    }

    /// A pause's last day as stored (`forever` for an open-ended one).
    static func pauseDay(_ text: String) -> CalendarDate? { text == "forever" ? .endOfTime : CalendarDate(iso: text) }
}

extension PostgresRow {
    /// A column that is never NULL (empty if it is).
    func text(_ column: String) -> String { self[column] ?? "" }

    func int64(_ column: String) -> Int64 { self[column].flatMap { Int64($0) } ?? 0 }

    /// libpq's text form of a boolean is `t` or `f`.
    func bool(_ column: String) -> Bool { self[column] == "t" }

    /// A time stored as seconds since 1970 (`double precision`).
    func date(_ column: String) -> Date? { self[column].flatMap(Double.init).map(Date.init(timeIntervalSince1970:)) }

    /// A `bytea` in PostgreSQL's hex output (`\x…`).
    func bytes(_ column: String) -> Data {
        let text = self[column] ?? ""
        guard text.hasPrefix("\\x") else { return Data(text.utf8) }
        var data = Data(capacity: (text.utf8.count - 2) / 2)
        var high: UInt8?
        for c in text.utf8.dropFirst(2) {
            let nibble: UInt8 = switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: c - UInt8(ascii: "A") + 10
            }
            if let h = high { data.append(h << 4 | nibble); high = nil } else { high = nibble }
        }
        return data
    }
}

/// Values as statement parameters (libpq's text format), written the way the schema stores them.
enum PostgresValue {
    /// Seconds since 1970, as every time in the ledger (Swift prints the shortest text that
    /// reads back as the same `Double`, as PostgreSQL does).
    static func time(_ date: Date?) -> String? { date.map { String($0.timeIntervalSince1970) } }

    static func bool(_ value: Bool) -> String { value ? "true" : "false" }

    /// A `bytea` in hex input form.
    static func bytes(_ data: Data) -> String { "\\x" + data.map { String(format: "%02x", $0) }.joined() }

    /// A text array (`$n::text[]`), for `= ANY(…)`.
    static func array(_ values: [String]) -> String { PostgresLeases.array(values) }

    /// An array literal with NULLs (`{"a",NULL}`), cast by the statement to its element type
    /// (`$n::double precision[]`), for `unnest`.
    static func array(_ values: [String?]) -> String {
        "{" + values.map { $0.map { PostgresLeases.array([$0]).dropFirst().dropLast() }.map(String.init) ?? "NULL" }.joined(separator: ",") + "}"
    }
}
