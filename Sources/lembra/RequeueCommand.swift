import ArgumentParser
import LembraDaemon
import LembraStore

struct RequeueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "requeue",
        abstract: "Send dead attempts again at the next tick (never one that may have arrived, nor for a paid debt).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only attempts on this channel.") var channel: String?
    @Option(help: "Only attempts to this customer id.") var customer: String?
    @Option(help: "Only attempts that died at or after this time, e.g. 2026-11-20 or 2026-11-20T10:00:00-03:00.") var since: String?
    @Flag(help: "Every dead attempt (when no other filter is given).") var all = false
    @Flag(name: .customLong("dry-run"), help: "Show what would be requeued; change nothing.") var dryRun = false

    func validate() throws {
        if channel == nil && customer == nil && since == nil && !all {
            throw ValidationError("say which dead attempts: --channel, --customer, --since, or --all for every one")
        }
    }

    func run() throws {
        try global.withLedger { ctx, ledger in
            let filter = RequeueFilter(channel: channel, customerID: customer,
                                       since: try CommandContext.instant(since, timeZone: ctx.config.timeZone, flag: "--since"))
            let result = try ledger.requeue(filter, by: RequeueReport.user, dryRun: dryRun, now: ctx.clock.now())
            say(RequeueReport.text(result, dryRun: dryRun))
        }
    }
}
