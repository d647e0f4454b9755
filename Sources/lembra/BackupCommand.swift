import ArgumentParser
import LembraDaemon

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup",
        abstract: "Copy the ledger to FILE with SQLite's online backup; safe while the daemon runs.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Where to write the copy (a new file).") var file: String

    func run() throws {
        try global.withLedger { ctx, ledger in
            try ledger.backup(to: file)
            say("\(ctx.config.database) backed up to \(file)\n")
        }
    }
}
