import ArgumentParser
import LembraDaemon

struct OptInCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "opt-in", abstract: "Undo an opt-out.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer id.") var customerID: String

    func run() throws {
        try global.withLedger { ctx, ledger in
            try ledger.optIn(customerID: customerID, now: ctx.clock.now())
            say("\(customerID): opted in\n")
        }
    }
}
