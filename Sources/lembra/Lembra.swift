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

    /// Blocks the daemon's signals before any thread exists (see `SignalMask`), then parses.
    static func main() {
        SignalMask.blockTerminationSignals()
        main(nil)
    }
}
