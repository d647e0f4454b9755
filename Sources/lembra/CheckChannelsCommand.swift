import ArgumentParser
import LembraDaemon

struct CheckChannelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-channels",
        abstract: "Try each channel without sending a reminder: one line each; exit 69 if any fails.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try global.run { ctx throws(CommandFailure) in
            let results = ChannelCheck(config: ctx.config).run()
            for r in results { say("\(r)\n") }
            if !results.allSatisfy(\.ok) { throw CommandFailure(.unavailable, []) }
        }
    }
}
