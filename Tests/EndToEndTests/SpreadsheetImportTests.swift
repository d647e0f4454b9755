import Foundation
import Testing
import TestSupport

/// The files LibreOffice Calc in pt-BR wrote (`;`, decimal comma, dd/mm/aaaa, Windows-1252),
/// through the built binary: `lembra import` and the inbox, up to the e-mail the customer reads.
@Suite(.serialized) struct SpreadsheetImportTests {
    static func fixture(_ name: String) -> String {
        RepositoryPaths.root.appendingPathComponent("Tests/Fixtures/spreadsheets/\(name)").path
    }

    @Test func importedByTheCommandAndRemindedWithTheirValues() throws {
        let f = try Fixture()
        let customers = Self.fixture("customers-libreoffice-1252.csv")
        let imported = try f.lembra("import", "customers", customers)
        #expect(imported.status == 0, "\(imported)")
        #expect(imported.stdout.contains("\(customers): read as Windows-1252 (the file is not UTF-8"), "\(imported)")
        #expect(imported.stdout.contains("\(customers): 6 new, 0 updated"), "\(imported)")
        #expect(imported.stderr.contains("event=import_encoding file=\(customers) kind=customers encoding=Windows-1252"), "\(imported)")
        #expect(!imported.stderr.contains("Jo"), "no name in the log")
        let debts = try f.lembra("import", "debts", Self.fixture("debts-libreoffice-1252.csv"))
        #expect(debts.status == 0, "\(debts)")

        let run = try f.lembra("run", "--once")
        #expect(run.status == 0, "\(run)")
        let joao = try #require(try f.received().first { $0["to"]?.contains("joao@exemplo.com.br") == true })
        #expect(joao["to"]?.contains("João da Conceição") == true, "\(joao.headers)")
        #expect(joao.body.contains("R$ 1.234,56"), "\(joao.body)")
        #expect(joao.body.contains("17/11/2026"), "\(joao.body)")
        #expect(joao.body.contains("Revisão de freios"), "\(joao.body)")

        let payments = try f.lembra("import", "payments", Self.fixture("payments-libreoffice-utf8.csv"))
        #expect(payments.status == 0 && payments.stdout.contains("2 paid"), "\(payments)")
    }

    /// Dropped in the inbox under kind names, beside a file it does not read, which it logs once.
    @Test func importedByTheInbox() throws {
        let f = try Fixture()
        let fm = FileManager.default
        try fm.createDirectory(at: f.dir.path("inbox"), withIntermediateDirectories: true)
        try fm.copyItem(atPath: Self.fixture("customers-libreoffice-1252.csv"), toPath: f.dir.path("inbox/customers-1.csv").path)
        try fm.copyItem(atPath: Self.fixture("debts-libreoffice-utf8.csv"), toPath: f.dir.path("inbox/debts-1.csv").path)
        try fm.copyItem(atPath: Self.fixture("debts-libreoffice-1252.csv"), toPath: f.dir.path("inbox/dívidas novembro.csv").path)
        let run = try f.lembra("run", "--once")
        #expect(run.status == 0, "\(run)")
        #expect(fm.fileExists(atPath: f.dir.path("inbox/done/customers-1.csv").path) && fm.fileExists(atPath: f.dir.path("inbox/done/debts-1.csv").path),
                "\(run.stderr)")
        #expect(run.stderr.contains("event=import_encoding file=customers-1.csv kind=customers encoding=Windows-1252"), "\(run.stderr)")
        #expect(run.stderr.components(separatedBy: "event=inbox_ignored file=\"dívidas novembro.csv\"").count == 2, "logged once: \(run.stderr)")
        #expect(fm.fileExists(atPath: f.dir.path("inbox/dívidas novembro.csv").path), "left in place")
        #expect(try f.received().contains { $0["to"]?.contains("João da Conceição") == true })
    }
}
