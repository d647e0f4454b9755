import Foundation

// The lines `lembra history` shows, written once for both ledgers: operators grep them, so the
// SQLite and PostgreSQL ledgers must word them alike.
extension HistoryEntry {
    /// An attempt: its step, channel, state and tries, and when a retry is due.
    public static func attempt(_ a: Attempt, time: (Date) -> String) -> HistoryEntry {
        HistoryEntry(at: a.createdAt, customerID: a.customerID, debtIDs: a.debtIDs, kind: "attempt",
                     summary: "attempt=\(a.id) step=\(a.stepID) channel=\(a.channel) segment=\(a.segment) state=\(a.state.rawValue)"
                        + " tries=\(a.tries)" + (a.state == .retry ? a.nextTryAt.map { " next=" + time($0) } ?? "" : "")
                        + (a.reason.map { " reason=\($0)" } ?? ""))
    }

    /// A debt held back (`hold_reason`), until when if known.
    public static func waiting(debtID: String, customerID: String, heldAt: Date, reason: String, until: Date?, time: (Date) -> String) -> HistoryEntry {
        HistoryEntry(at: heldAt, customerID: customerID, debtIDs: [debtID], kind: "waiting",
                     summary: "reason=\(reason)" + (until.map { " until=" + time($0) } ?? ""))
    }
}
