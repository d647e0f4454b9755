import ArgumentParser
import Foundation
import LembraDaemon

/// The `lembra` command line. Parsing only: the work is in LembraDaemon.
@main
struct Lembra: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lembra",
        abstract: "Polite payment reminders that never charge a debt twice.",
        subcommands: [RunCommand.self, CheckConfigCommand.self, ImportCommand.self, PayCommand.self, PauseCommand.self,
                      ResumeCommand.self, DisputeCommand.self, ResolveCommand.self, OptOutCommand.self, OptInCommand.self, PreviewCommand.self, StatusCommand.self, BackupCommand.self,
                      HistoryCommand.self])

    /// Blocks the termination signals before any thread exists (see `SignalMask`), parses, and
    /// gives them back their default action unless the command is the daemon, which reads them.
    static func main() {
        SignalMask.blockTerminationSignals()
        do {
            var command = try parseAsRoot()
            if !((command as? RunCommand)?.isDaemon ?? false) { SignalMask.unblockTerminationSignals() }
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
