import ArgumentParser
import LembraDaemon

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "End a customer's pause.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer id.") var customerID: String

    func run() throws {
        try global.withLedger { ctx, ledger in
            try ledger.resume(customerID: customerID, now: ctx.clock.now())
            say("\(customerID): resumed\n")
        }
    }
}
