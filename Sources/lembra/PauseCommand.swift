import ArgumentParser
import Foundation
import LembraCore
import LembraDaemon

struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Stop reminders to a customer (until a date, or until resume).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer id.") var customerID: String
    @Option(help: "Last day of the pause, YYYY-MM-DD (default: until resume).") var until: String?
    @Option(help: "Why (shown by history).") var reason: String

    func run() throws {
        let through = try until.map { text in
            guard let d = CalendarDate(iso: text) else { throw ValidationError("--until: '\(text)' is not a date like 2026-12-31") }
            return d
        }
        try global.withLedger { ctx, ledger in
            let cancelled = try ledger.pause(customerID: customerID, through: through, reason: reason, now: ctx.clock.now())
            say("\(customerID): paused\(through.map { " through \($0.iso)" } ?? " until resume")\(cancelledNote(cancelled))\n")
        }
    }
}
