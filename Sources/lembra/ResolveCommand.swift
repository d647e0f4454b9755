import ArgumentParser
import LembraDaemon

struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "End a debt's dispute; reminders resume.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The debt id.") var debtID: String

    func run() throws {
        try global.withLedger { ctx, ledger in
            try ledger.resolve(debtID: debtID, now: ctx.clock.now())
            say("\(debtID): resolved\n")
        }
    }
}
