import ArgumentParser
import Foundation
import LembraDaemon

/// The `lembra` command line. Parsing only: the work is in LembraDaemon.
@main
struct Lembra: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lembra",
        abstract: "Polite payment reminders that never charge a debt twice.",
        version: LembraVersion.current,
        subcommands: [RunCommand.self, CheckConfigCommand.self, ImportCommand.self, PayCommand.self, PauseCommand.self,
                      ResumeCommand.self, DisputeCommand.self, ResolveCommand.self, OptOutCommand.self, OptInCommand.self, PreviewCommand.self, StatusCommand.self, BackupCommand.self,
                      RestoreCommand.self, CheckLedgerCommand.self, HistoryCommand.self, CheckChannelsCommand.self, RequeueCommand.self,
                      VersionCommand.self])

    /// Blocks the termination signals before any thread exists (see `SignalMask`), parses
    /// (`--config`, `--now` and `--utc` may also come before the subcommand, see `LeadingOptions`), and
    /// gives the signals back their default action unless the command reads them itself (the daemon
    /// and `run --once`, which stop gracefully).
    static func main() {
        SignalMask.blockTerminationSignals()
        do {
            let names = Set(configuration.subcommands.compactMap { $0.configuration.commandName })
            var command = try parseAsRoot(LeadingOptions.moved(Array(CommandLine.arguments.dropFirst()), subcommands: names))
            if !((command as? RunCommand)?.readsTerminationSignals ?? false) { SignalMask.unblockTerminationSignals() }
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
