import ArgumentParser
import Foundation
import LembraDaemon

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-config",
        abstract: "Validate the config and templates; print FILE:LINE:COL: message per problem (exit 78), else the ledger it names.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try global.run { ctx in say("\(ctx.configPath): ok\nledger: \(ctx.config.ledgerDescription)\n") }
    }
}
