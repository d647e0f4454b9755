import ArgumentParser
import LembraDaemon

/// `lembra version`: the same line as `lembra --version`, for scripts that prefer a subcommand.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print Lembra's version.")

    func run() throws { say(LembraVersion.current + "\n") }
}
