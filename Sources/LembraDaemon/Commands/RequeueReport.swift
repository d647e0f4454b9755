import Foundation
import LembraStore

/// `lembra requeue`'s output: one line per dead attempt the filter matched, then a summary.
/// Ids only, no personal data.
public enum RequeueReport {
    public static func text(_ result: RequeueResult, dryRun: Bool) -> String {
        var out = ""
        for a in result.requeued {
            out += "\(dryRun ? "would requeue" : "requeued") attempt=\(a.id) customer=\(a.customerID) step=\(a.stepID) channel=\(a.channel)\n"
        }
        for (a, reason) in result.refused {
            out += "stays dead attempt=\(a.id) customer=\(a.customerID) step=\(a.stepID) channel=\(a.channel) reason=\(reason.rawValue)\n"
        }
        let count = result.requeued.count
        let what = "\(count) dead attempt\(count == 1 ? "" : "s")"
        if dryRun { return out + "\(what) would be requeued (dry run: nothing changed)\n" }
        return out + (count == 0 ? "nothing requeued\n" : "\(what) requeued: sent at the next tick\n")
    }

    /// Who asked, for the `requeued` event in `history`: the user behind `sudo` when there is one.
    public static var user: String {
        let env = ProcessInfo.processInfo.environment
        return env["SUDO_USER"] ?? env["USER"] ?? NSUserName()
    }
}
