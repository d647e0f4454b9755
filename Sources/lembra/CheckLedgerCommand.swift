import ArgumentParser
import LembraDaemon

struct CheckLedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-ledger",
        abstract: "Check the whole ledger (SQLite integrity_check, the claim records, the attempt counts); exit 69 when damaged, "
            + "65 when only the attempt counts differ.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Count the attempts by state again first (the counts `status` shows; exit 65 says they differ).")
    var recount = false

    func run() throws {
        try global.run { (ctx) throws(CommandFailure) in say(try LedgerCheck(context: ctx, recount: recount).run()) }
    }
}
