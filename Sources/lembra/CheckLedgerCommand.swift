import ArgumentParser
import LembraDaemon

struct CheckLedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-ledger",
        abstract: "Check the whole ledger (SQLite integrity_check and the claim records); exit 69 when damaged.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try global.run { (ctx) throws(CommandFailure) in say(try LedgerCheck(context: ctx).run()) }
    }
}
