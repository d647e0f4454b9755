import Foundation
import LembraCore

extension ConfigBuilder {
    /// `late_fees: { fine: 2%, interest_per_month: 1%, grace_days: 0 }`. Absent: no late fees.
    /// `fine` and `interest_per_month` are required (write `0%` for none), so no amount a customer
    /// is asked for comes from a default; both are refused above the legal limits.
    func lateFees(_ c: YAMLCursor) -> LateFees? {
        guard let m = c.mapping(allowed: ["fine", "interest_per_month", "grace_days"]) else { return nil }
        let v = Dictionary(m.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        for key in ["fine", "interest_per_month"] where v[key] == nil {
            c.fail("\(key): required, a percentage like \(key == "fine" ? "2%" : "1%") (0% for none)")
        }
        let fine = v["fine"].flatMap {
            percentage($0, atMost: LateFees.maxFineBasisPoints, limit: "2% (CDC art. 52 §1 caps the fine for late payment)")
        }
        let interest = v["interest_per_month"].flatMap {
            percentage($0, atMost: LateFees.maxInterestBasisPointsPerMonth,
                       limit: "1% a month (the ceiling for juros de mora: CTN art. 161 §1, CC art. 406, STJ Súmula 379)")
        }
        let grace = v["grace_days"].map { $0.int(in: 0...ConfigLimits.ladderDays) } ?? 0
        guard let fine, let interest, let grace else { return nil }
        return LateFees(fineBasisPoints: fine, interestBasisPointsPerMonth: interest, graceDays: grace)
    }

    /// A percentage written `2%`, `0.5%` or `0,5%` (at most two decimals), in basis points
    /// (hundredths of a percent), from zero to `max`. The `%` is required: `fine: 2` could mean
    /// 2% or 200%, and `0.02` 2% or 0.02%.
    func percentage(_ c: YAMLCursor, atMost max: Int, limit: String) -> Int? {
        guard let text = c.string() else { return nil }
        guard let basisPoints = Self.basisPoints(text) else {
            if text.hasPrefix("-") { c.fail("must not be negative, got '\(text)'") }
            else { c.fail("expected a percentage like 2% or 0.33% (a % sign, at most two decimals), got '\(text)'") }
            return nil
        }
        guard basisPoints <= max else { c.fail("must be at most \(limit), got '\(text)'"); return nil }
        return basisPoints
    }

    /// `2%` → 200, `0.33%` → 33, `1,5 %` → 150; nil for anything else (no sign, no exponent).
    static func basisPoints(_ text: String) -> Int? {
        var number = text.trimmingCharacters(in: .whitespaces)
        guard number.hasSuffix("%") else { return nil }
        number = number.dropLast().trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, (1...3).contains(whole.count),
              whole.allSatisfy({ $0.isASCII && $0.isNumber }), let w = Int(whole) else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : "00"
        guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if fraction.count == 1 { fraction += "0" }
        return w * 100 + (Int(fraction) ?? 0)
    }

    /// With late fees on, a signed link signs the amount due on the day the reminder was written,
    /// which the payment page can only check if the link carries it: warn when the template has
    /// no `{{debt.amount_cents}}`.
    func warnUnlessLinkCarriesAmount(_ link: PaymentLinkConfig?, cursor: YAMLCursor?) {
        guard case .url(let template, let secret, _)? = link, secret != nil, let cursor,
              !template.text.replacingOccurrences(of: " ", with: "").contains("{{debt.amount_cents}}") else { return }
        cursor.warn("with late_fees the signed amount changes day by day; add {{debt.amount_cents}} to the template "
                    + "so your payment page knows which amount a link was signed for")
    }
}
