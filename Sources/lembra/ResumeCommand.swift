import ArgumentParser
import LembraDaemon

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "End a customer's pause.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer id.") var customerID: String

    func run() throws {
        try global.run { (ctx) throws(CommandFailure) in
            let ledger = try ctx.openLedger()
            do { try ledger.resume(customerID: customerID, now: ctx.clock.now()) } catch { throw CommandContext.failure(error) }
            say("\(customerID): resumed\n")
        }
    }
}
