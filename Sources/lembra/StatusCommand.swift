import ArgumentParser
import LembraDaemon

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Open debts by segment, attempts by state, in-doubt and failures.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try global.withLedger(acceptingBackup: true) { ctx, ledger in
            say(Reports.status(try ledger.status(), locale: ctx.config.locale, currency: ctx.config.currency, times: ctx.times))
        }
    }
}
