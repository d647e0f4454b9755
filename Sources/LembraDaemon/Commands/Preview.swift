import Foundation
import LembraCore
import LembraStore

/// `lembra preview`: what would go out at an instant, or day by day over N days assuming nothing
/// is paid. Plans against a copy of the ledger's state in memory: nothing is sent or recorded.
public struct Preview {
    public let config: LembraConfig
    /// How instants are shown: the business's zone unless `--utc`.
    public let times: TimeDisplay

    public init(config: LembraConfig, times: TimeDisplay? = nil) {
        self.config = config
        self.times = times ?? TimeDisplay(timeZone: config.timeZone)
    }

    /// What the next tick would claim: the debts due for a check now, planned but not claimed
    /// (every open debt when the ledger was planned under another policy: the tick plans them
    /// all again, see `LedgerClaims.planAgainIfPolicyChanged`).
    public func dueNow(ledger: any LedgerReports, at now: Date) throws(StoreError) -> String {
        let current = try ledger.isPlanned(under: config.policy.fingerprint)
        return run(cases: current ? try ledger.dueCases(now: now) : try ledger.openCases(now: now), at: now, days: 1)
    }

    /// Every open debt, planned at `start` and then each following day.
    public func openDebts(ledger: any LedgerReports, at start: Date, days: Int) throws(StoreError) -> String {
        run(cases: try ledger.openCases(now: start), at: start, days: days)
    }

    func run(cases initial: [CustomerCase], at start: Date, days: Int) -> String {
        var cases = initial
        let planner = Planner(policy: config.policy)
        var out = ""
        for day in 0..<max(days, 1) {
            let now = start.addingTimeInterval(Double(day) * 86_400)
            out += "== \(times.text(now))\n"
            for i in cases.indices {
                let plan = planner.plan(cases[i], now: now)
                for m in plan.messages {
                    let reachable = config.channels[m.channel].map { MessageComposer.reaches($0, cases[i].customer) } ?? false
                    out += (reachable ? "send  " : "skip  reason=no_address ") + Self.describe(m)
                    cases[i].ledger.formUnion(m.items.map(\.key) + m.superseded)
                    if !m.handoff && m.kind == .reminder { cases[i].recentContacts.append(now) }
                }
                for s in plan.skipped {
                    out += "skip  reason=\(s.reason.rawValue) " + Self.describe(s.message)
                    cases[i].ledger.insert(s.key)
                }
                for h in plan.held {
                    out += "held  customer=\(plan.customerID) debt=\(h.key.debtID) step=\(h.key.stepID) channel=\(h.channel) reason=\(h.reason.rawValue)"
                        + (h.until.map { " until=\(times.text($0))" } ?? "") + "\n"
                }
            }
        }
        return out
    }

    /// `customer=… segment=… step=… channel=… template=… debts=…` and a newline.
    static func describe(_ m: PlannedMessage) -> String {
        "customer=\(m.customerID) segment=\(m.segment) step=\(m.stepID) channel=\(m.channel) "
            + "template=\(m.template) debts=\(m.items.map(\.debt.id).joined(separator: ","))\n"
    }
}
