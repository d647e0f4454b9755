import ArgumentParser
import LembraDaemon

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore",
        abstract: "Install a backup as the ledger; what may have gone out since it was taken is recorded in doubt, never re-sent.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup (made by `lembra backup`).") var file: String

    func run() throws {
        try global.run { (ctx) throws(CommandFailure) in say(try Restore(context: ctx).run(backup: file)) }
    }
}
