import ArgumentParser
import LembraDaemon

struct OptOutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "opt-out",
        abstract: "The customer asked for no more messages: nothing is sent until opt-in.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer id.") var customerID: String
    @Option(help: "Why (shown by history).") var reason: String

    func run() throws {
        try global.withLedger { ctx, ledger in
            let cancelled = try ledger.optOut(customerID: customerID, reason: reason, now: ctx.clock.now())
            say("\(customerID): opted out; no messages until opt-in\(cancelledNote(cancelled))\n")
        }
    }
}
