import ArgumentParser
import LembraDaemon

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Every attempt and event of a debt or a customer.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "A debt id or a customer id.") var id: String

    func run() throws {
        try global.withLedger(acceptingBackup: true) { ctx, ledger in say(Reports.history(try ledger.history(id: id, time: ctx.times.text), times: ctx.times)) }
    }
}
