import ArgumentParser
import Foundation
import LembraDaemon

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup",
        abstract: "Copy the ledger to FILE with SQLite's online backup; safe while the daemon runs. Put it back with `lembra restore FILE`.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Where to write the copy (a new file).") var file: String

    func run() throws {
        try global.run { (ctx) throws(CommandFailure) in
            try ctx.requireSQLite("backup", instead: "back it up with pg_dump")
            let ledger = try ctx.openSQLiteLedger(acceptingBackup: true)
            try Self.checkFolder(of: file)
            do { try ledger.backup(to: file, takenAt: ctx.clock.now()) } catch { throw CommandContext.failure(error) }
            say("\(ctx.config.database) backed up to \(file)\n")
        }
    }

    /// The copy's folder must exist and be writable: a typo in the path is "cannot create" (73),
    /// not "the ledger is unavailable" (69), which would send the operator to the wrong file.
    static func checkFolder(of file: String) throws(CommandFailure) {
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue,
              FileManager.default.isWritableFile(atPath: folder) else {
            throw CommandFailure(.cannotCreate, ["\(file): cannot create the copy: \(folder) is not a folder this user can write to"])
        }
    }
}
