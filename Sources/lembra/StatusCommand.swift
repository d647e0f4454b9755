import ArgumentParser
import LembraDaemon

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Open debts by segment, attempts by state, in-doubt, failures and unmatched payments.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try global.withLedger(acceptingBackup: true) { ctx, ledger in
            say(Reports.status(try ledger.status(), locale: ctx.config.locale, currency: ctx.config.currency, times: ctx.times))
            let unmatched = try ledger.unmatchedPayments(limit: 20)
            say(Reports.unmatched(unmatched.payments, total: unmatched.total, times: ctx.times))
        }
    }
}
