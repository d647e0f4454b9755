import ArgumentParser
import LembraDaemon

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Open debts by segment, attempts by state, in-doubt and failures.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try global.run { (ctx) throws(CommandFailure) in
            let ledger = try ctx.openLedger()
            do { say(Reports.status(try ledger.status(), locale: ctx.config.locale, currency: ctx.config.currency)) }
            catch { throw CommandContext.failure(error) }
        }
    }
}
