import ArgumentParser
import LembraDaemon

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup",
        abstract: "Copy the ledger to FILE with SQLite's online backup; safe while the daemon runs.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Where to write the copy (a new file).") var file: String

    func run() throws {
        try global.run { (ctx) throws(CommandFailure) in
            let ledger = try ctx.openLedger()
            do { try ledger.backup(to: file) } catch { throw CommandFailure(.cannotCreate, ["\(file): \(CommandContext.failure(error).lines.joined(separator: " "))"]) }
            say("\(ctx.config.database) backed up to \(file)\n")
        }
    }
}
