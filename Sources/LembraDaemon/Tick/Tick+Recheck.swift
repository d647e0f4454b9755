import Foundation
import LembraCore
import LembraStore

extension Tick {
    /// The planner's second look at one channel's leftovers (attempts claimed in an earlier tick
    /// and due now: retries, claims a crash left unsent, sends a crash interrupted) before any of
    /// them is sent. Those due while the customer's sending window is shut wait for its next
    /// opening (`retry`, reason `outside_window` or `holiday`, not counted as a try); those whose
    /// debt was paid or disputed, or whose customer paused or opted out since they were claimed,
    /// are cancelled. One commit for both. Returns the attempts to send, each with the end of
    /// its customer's open window.
    ///
    /// Checked here, once per tick on what is read from the ledger, and not when each batch is
    /// marked `sending`: that would cost a query per attempt on the hot path. Nothing else needs
    /// it. The planner's fresh claims are claimed only if no control committed since the planner
    /// read their cases (the controls version, `Tick.claim`), else planned again; a control
    /// committed after a claim or after this read cancels the pending attempt, which then fails
    /// its `sending` mark; and an attempt becomes sendable again (a retry's time) only for a
    /// later tick, which reads and checks it here.
    func recheck(_ pending: [PendingAttempt], now: Date, summary: inout TickSummary) throws(StoreError) -> [QueuedAttempt] {
        guard !pending.isEmpty else { return [] }
        let planner = Planner(policy: config.policy)
        var send: [QueuedAttempt] = []
        var waiting: [(id: String, until: Date, reason: HoldReason)] = []
        var cancelling: [(id: String, reason: CancelReason)] = []
        for p in pending {
            switch planner.recheck(p.facts, now: now) {
            case .send: send.append(QueuedAttempt(p.attempt, sendBy: planner.sendingDeadline(timezone: p.facts.timezone, now: now)))
            case .wait(let until, let reason): waiting.append((p.attempt.id, until, reason))
            case .cancel(let reason): cancelling.append((p.attempt.id, reason))
            }
        }
        let cancelled = try ledger.settle(waiting: waiting, cancelling: cancelling, now: now)
        let byID = Dictionary(pending.map { ($0.attempt.id, $0.attempt) }, uniquingKeysWith: { a, _ in a })
        for w in waiting { if let a = byID[w.id] { report(a, "deferred", reason: w.reason.rawValue, until: w.until) } }
        for c in cancelling where cancelled.contains(c.id) { if let a = byID[c.id] { report(a, "cancelled", reason: c.reason.rawValue) } }
        summary.deferred += waiting.count
        summary.cancelled += cancelled.count
        return send
    }
}
