import ArgumentParser
import LembraDaemon

struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "preview",
        abstract: "Show what would go out (and what waits, and why); nothing is sent or recorded.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The instant to plan for (default: now).") var at: String?
    @Option(help: "Plan day by day over this many days, assuming nothing is paid.") var days: Int = 1

    func run() throws {
        try global.withLedger(acceptingBackup: true) { ctx, ledger in
            let start = try CommandContext.instant(at, timeZone: ctx.config.timeZone, flag: "--at") ?? ctx.clock.now()
            say(try Preview(config: ctx.config, times: ctx.times).openDebts(ledger: ledger, at: start, days: days))
        }
    }
}
