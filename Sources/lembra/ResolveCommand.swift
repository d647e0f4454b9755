import ArgumentParser
import LembraDaemon

struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "End a debt's dispute; reminders resume.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The debt id.") var debtID: String

    func run() throws {
        try global.run { (ctx) throws(CommandFailure) in
            let ledger = try ctx.openLedger()
            do { try ledger.resolve(debtID: debtID, now: ctx.clock.now()) } catch { throw CommandContext.failure(error) }
            say("\(debtID): resolved\n")
        }
    }
}
