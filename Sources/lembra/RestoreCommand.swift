import ArgumentParser
import LembraDaemon

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore",
        abstract: "Install a backup as the ledger; what may have gone out since it was taken is recorded in doubt, never re-sent.",
        discussion: "On PostgreSQL, put the dump back with pg_restore first, then run `lembra restore --since TIME` (no file) before any daemon starts.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup (made by `lembra backup`); SQLite only.") var file: String?
    @Option(help: "PostgreSQL only: when the dump put back was taken (2026-11-20T03:00:00-03:00).") var since: String?

    func run() throws {
        try global.run { (ctx) throws(CommandFailure) in say(try Restore(context: ctx).run(backup: file, since: since)) }
    }
}
