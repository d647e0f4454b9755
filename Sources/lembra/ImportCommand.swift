import ArgumentParser
import Foundation
import LembraDaemon

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import",
        abstract: "Import CSV files; each file is all-or-nothing and errors name FILE:ROW: column.")

    /// How a payments import recognised what it had already recorded, printed next to the count
    /// so an operator can tell a skipped row from a lost payment.
    static let paymentsMatch = " (the same debt_id and reference; rows without a reference: the same debt_id, amount and paid_at, "
        + "each repeat in a file a payment of its own)"

    @OptionGroup var global: GlobalOptions
    @Argument(help: "customers, debts or payments") var kind: String
    @Argument(help: "CSV files") var files: [String]

    func run() throws {
        guard let kind = ImportKind(rawValue: kind) else {
            throw ValidationError("kind must be customers, debts or payments, not '\(self.kind)'")
        }
        try global.run { (ctx) throws(CommandFailure) in
            let importer = CSVImporter(ledger: try ctx.openLedger(create: true), timeZone: ctx.config.timeZone)
            var problems: [String] = [], status = ExitStatus.dataError
            for file in files {
                do {
                    let report = try importer.importFile(kind, path: file, now: ctx.clock.now()), s = report.summary
                    report.logEncoding(ctx.log, file: file, kind: kind)
                    if let notice = report.encoding.notice { say("\(file): \(notice)\n") }
                    say("\(file): \(s.inserted) new, \(s.updated) updated" + (s.newlyPaid > 0 ? ", \(s.newlyPaid) paid" : "")
                        + (s.unchanged > 0 ? ", \(s.unchanged) already recorded" + (kind == .payments ? Self.paymentsMatch : "") : "") + "\n")
                } catch {
                    let failure = CommandContext.failure(error)
                    if failure.status != .dataError { status = failure.status } // a ledger failure is not bad data
                    problems += failure.lines + ["\(file): nothing imported"]
                }
            }
            if !problems.isEmpty { throw CommandFailure(status, problems) }
        }
    }
}
