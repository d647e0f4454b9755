import ArgumentParser
import LembraDaemon

struct DisputeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dispute", abstract: "Stop reminders for a debt until it is resolved.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The debt id.") var debtID: String
    @Option(help: "Why (shown by history).") var reason: String

    func run() throws {
        try global.withLedger { ctx, ledger in
            let cancelled = try ledger.dispute(debtID: debtID, reason: reason, now: ctx.clock.now())
            say("\(debtID): disputed; no reminders until resolved\(cancelledNote(cancelled))\n")
        }
    }
}
