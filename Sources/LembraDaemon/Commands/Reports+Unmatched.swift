import Foundation
import LembraCore
import LembraStore

extension Reports {
    /// The part of `lembra status` about payments the ingress received but could not apply;
    /// empty when there are none (most installations never see one).
    public static func unmatched(_ payments: [UnmatchedPayment], total: Int, times: TimeDisplay) -> String {
        guard total > 0 else { return "" }
        var out = "Unmatched payments (received, not applied to any debt; check them with the payer's bank):\n"
        for p in payments {
            let target = switch p.target { case .debt(let id): "debt=\(id)"; case .pixTxid(let txid): "txid=\(txid.isEmpty ? "(none)" : txid)" }
            out += "  \(times.text(p.receivedAt)) reason=\(p.reason.rawValue) \(target) amount=\(p.amount.decimalString) "
                + "paid_at=\(times.text(p.paidAt)) reference=\(p.reference)\n"
        }
        if total > payments.count { out += "  ... and \(total - payments.count) more\n" }
        return out
    }
}
