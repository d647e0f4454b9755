import Foundation
import LembraCore
import LembraStore

/// The text `status` and `history` print: ids and states, for an operator's terminal, with
/// instants as `times` shows them (the business's zone, or UTC with `--utc`).
public enum Reports {
    /// One amount per currency, the business's first: debts in different currencies are never
    /// added up (USD 1,000 and R$ 10 are not R$ 1.010). A currency in `tooLarge`, or whose
    /// debts without a currency and with the business's don't add up in Int64 cents, is said
    /// to be too large rather than shown wrong.
    static func openTotal(_ totals: [String: Int64], tooLarge: Set<String> = [], locale: MessageLocale, currency: String) -> String {
        var byCode: [String: Money?] = [:]
        for code in tooLarge { byCode[code.isEmpty ? currency : code] = .some(nil) }
        for (code, cents) in totals {
            let key = code.isEmpty ? currency : code
            // `.some`: assigning a nil `Money?` would remove the key instead of marking it too large.
            byCode[key] = .some(byCode[key, default: .zero].flatMap { try? Money.sum([$0, Money(cents: cents)]) })
        }
        if byCode.isEmpty { byCode[currency] = .zero }
        let codes = [currency].filter { byCode[$0] != nil } + byCode.keys.filter { $0 != currency }.sorted()
        return codes.map { code in
            byCode[code]!.map { $0.formatted(currency: code, locale: locale) } ?? "\(code) too large to add up"
        }.joined(separator: " + ")
    }

    public static func status(_ s: LedgerStatus, locale: MessageLocale, currency: String, times: TimeDisplay) -> String {
        var out = "Open debts by segment:\n"
        for (segment, n) in s.openDebtsBySegment.sorted(by: { $0.key < $1.key }) {
            out += "  \(pad(segment, 14)) \(n)\n"
        }
        if s.openDebtsBySegment.isEmpty { out += "  (none)\n" }
        out += "Open total: \(openTotal(s.openTotalByCurrency, tooLarge: s.openTotalTooLarge, locale: locale, currency: currency))\n"
        let states = AttemptState.allCases.map { "\($0.rawValue) \(s.attemptsByState[$0.rawValue] ?? 0)" }
        out += "Attempts: " + states.joined(separator: ", ") + "\n"
        if !s.waitingForChannel.isEmpty {
            out += "Waiting for a channel that is down (counted in retry; `lembra check-channels` says what to fix; they go out once it works):\n"
            for (channel, wait) in s.waitingForChannel.sorted(by: { $0.key < $1.key }) {
                out += "  \(pad(channel, 14)) \(wait.count)  next try \(times.text(wait.nextTry))\n"
            }
        }
        if !s.inDoubt.isEmpty {
            out += "In doubt (it may have arrived: the process stopped mid-send, or reason=restored: a backup was restored over it; check before acting):\n"
            for a in s.inDoubt { out += "  \(line(a, times))\n" }
            let more = (s.attemptsByState[AttemptState.inDoubt.rawValue] ?? 0) - s.inDoubt.count
            if more > 0 { out += "  ... and \(more) more (lembra history CUSTOMER_ID shows each)\n" }
        }
        if !s.recentDead.isEmpty {
            out += "Recent failures:\n"
            for a in s.recentDead { out += "  \(line(a, times))\n" }
        }
        return out
    }

    public static func history(_ entries: [HistoryEntry], times: TimeDisplay) -> String {
        entries.map { "\(times.text($0.at))  \(pad($0.kind, 10))  "
            + "customer=\($0.customerID) debt=\($0.debtIDs.joined(separator: ","))  \($0.summary)" }
            .joined(separator: "\n") + (entries.isEmpty ? "" : "\n")
    }

    /// Left-aligns `text` in `width` columns, never cutting it.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func line(_ a: Attempt, _ times: TimeDisplay) -> String {
        "\(a.id) customer=\(a.customerID) debt=\(a.debtIDs.joined(separator: ",")) step=\(a.stepID) channel=\(a.channel) "
            + "at=\(times.text(a.updatedAt))" + (a.reason.map { " reason=\"\($0)\"" } ?? "")
    }
}
