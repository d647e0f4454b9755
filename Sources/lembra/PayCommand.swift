import ArgumentParser
import Foundation
import LembraCore
import LembraDaemon

struct PayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pay",
        abstract: "Record a payment: stops that debt's reminders and queues the thank-you once.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The debt id.") var debtID: String
    @Option(help: "Amount paid, like 1.234,56 or 1234.56 (default: the whole balance).") var amount: String?
    @Option(help: "When it was paid (default: now).") var at: String?

    func run() throws {
        try global.withLedger { ctx, ledger in
            let money = try amount.map { text in
                if let problem = AmountRule.positive(text) { throw CommandFailure(.usage, ["--amount: '\(text)': \(problem)"]) }
                return AmountRule.money(text)!
            }
            let now = ctx.clock.now()
            let paidAt = try CommandContext.instant(at, timeZone: ctx.config.timeZone, flag: "--at") ?? now
            let before = try ledger.balance(of: debtID)
            let paid = try ledger.pay(debtID: debtID, amount: money, at: paidAt, now: now)
            say(paid ? "\(debtID): paid; reminders stopped\n" : "\(debtID): partial payment recorded; still open\n")
            if let before, let money, money.cents > before.owed.cents {
                let locale = ctx.config.locale
                FileHandle.standardError.write(Data(("\(debtID): note: \(money.formatted(currency: before.currency, locale: locale)) is more than the "
                    + "\(before.owed.formatted(currency: before.currency, locale: locale)) owed (fees, interest, or a typo?); "
                    + "it is recorded, and the debt is paid\n").utf8))
            }
        }
    }
}
