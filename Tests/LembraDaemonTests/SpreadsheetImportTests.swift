import Foundation
import LembraCore
@testable import LembraDaemon
import LembraStore
import Synchronization
import Testing
import TestSupport

/// The CSV files LibreOffice Calc in pt-BR wrote (`scripts/make-spreadsheet-fixtures.sh`),
/// imported into a real ledger: the stored cents, dates and names are what the sheet held.
@Suite struct SpreadsheetImportTests {
    static let now = Timestamp.parse("2026-11-18T10:00:00-03:00", timeZone: TimeZone(identifier: "UTC")!)!
    static let zone = TimeZone(identifier: "America/Sao_Paulo")!

    static func fixture(_ name: String) -> String {
        RepositoryPaths.root.appendingPathComponent("Tests/Fixtures/spreadsheets/\(name)").path
    }

    final class Lines: Sendable {
        let value = Mutex<[String]>([])
        var log: Logfmt { Logfmt(journal: false) { line in self.value.withLock { $0.append(line) } } }
        var all: [String] { value.withLock { $0 } }
    }

    @Test(arguments: [("utf8", CSVEncoding.utf8), ("1252", .windows1252)])
    func libreOfficeFilesImportWithTheirValues(variant: String, encoding: CSVEncoding) throws {
        let dir = try TemporaryDirectory("lembra-sheets")
        let ledger = try SQLiteLedger(path: dir.path("ledger.sqlite").path, create: true)
        let importer = CSVImporter(ledger: ledger, timeZone: Self.zone)
        let customers = try importer.importFile(.customers, path: Self.fixture("customers-libreoffice-\(variant).csv"), now: Self.now)
        #expect(customers.summary.inserted == 6)
        #expect(customers.encoding == encoding, "only the customers file has accents in both variants")
        let debts = try importer.importFile(.debts, path: Self.fixture("debts-libreoffice-\(variant).csv"), now: Self.now)
        #expect(debts.summary.inserted == 6)
        #expect(debts.encoding == encoding)

        let cases = try ledger.cases(customerIDs: ["c-joao", "c-maria", "c-jose", "c-ines", "c-fabio", "c-loja"], now: Self.now)
        let byID = Dictionary(uniqueKeysWithValues: cases.map { ($0.customer.id, $0) })
        #expect(byID["c-joao"]?.customer.name == "João da Conceição")
        #expect(byID["c-loja"]?.customer.name == "Padaria Pão de Açúcar Ltda")
        #expect(byID["c-maria"]?.customer.name == "Maria Antônia Araújo")
        // Phones are kept as written, for display; each has an E.164 form for gateways.
        #expect(byID["c-joao"]?.customer.phone == "(11) 98765-4321")
        #expect(cases.compactMap { $0.customer.phone.flatMap(PhoneNumber.e164) }.sorted()
                == ["+551134567890", "+5511987654321", "+5511987654322", "+5511987654323", "+5511987654324", "+5511987654325"])
        let debtsByID = Dictionary(uniqueKeysWithValues: cases.flatMap(\.debts).map { ($0.id, $0) })
        #expect(debtsByID.mapValues(\.amount.cents) == ["d-1": 123_456, "d-2": 18_990, "d-3": 5_000, "d-4": 123_456_780, "d-5": 9_999, "d-6": 150_000])
        #expect(debtsByID.mapValues(\.dueDate.iso) == ["d-1": "2026-11-17", "d-2": "2026-11-20", "d-3": "2026-12-05", "d-4": "2026-12-31",
                                                      "d-5": "2026-11-10", "d-6": "2027-01-04"])
        #expect(debtsByID["d-1"]?.description == "Revisão de freios")
        #expect(debtsByID["d-4"]?.description == "Reforma completa — funilaria")
        #expect(debtsByID["d-5"]?.paidAt == Timestamp.parse("2026-11-12T09:15:00-03:00", timeZone: Self.zone))

        let payments = try importer.importFile(.payments, path: Self.fixture("payments-libreoffice-\(variant).csv"), now: Self.now)
        #expect(payments.summary.newlyPaid == 2)
        #expect(try ledger.balance(of: "d-1") == nil && ledger.balance(of: "d-2") == nil, "no longer open")
        #expect(try ledger.balance(of: "d-3")?.owed == Money(cents: 5_000))
        let paid = try ledger.cases(customerIDs: ["c-joao"], now: Self.now).first?.debts.first
        #expect(paid?.paidAt == Timestamp.parse("2026-11-18T14:30:00-03:00", timeZone: Self.zone))
    }

    /// The comma-separated export quotes the decimal commas; its amounts read the same.
    @Test func theCommaSeparatedExportReadsTheSame() throws {
        let dir = try TemporaryDirectory("lembra-sheets")
        let ledger = try SQLiteLedger(path: dir.path("ledger.sqlite").path, create: true)
        let importer = CSVImporter(ledger: ledger, timeZone: Self.zone)
        _ = try importer.importFile(.customers, path: Self.fixture("customers-libreoffice-utf8.csv"), now: Self.now)
        _ = try importer.importFile(.debts, path: Self.fixture("debts-libreoffice-comma.csv"), now: Self.now)
        let debts = try ledger.cases(customerIDs: ["c-joao", "c-ines", "c-loja"], now: Self.now).flatMap(\.debts)
        #expect(Dictionary(uniqueKeysWithValues: debts.map { ($0.id, $0.amount.cents) }) == ["d-1": 123_456, "d-4": 123_456_780, "d-6": 150_000])
    }

    /// The inbox says which encoding it assumed, with the file name and kind only.
    @Test func theInboxLogsTheEncodingItAssumed() throws {
        let dir = try TemporaryDirectory("lembra-sheets")
        let inbox = dir.path("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixture("customers-libreoffice-1252.csv"), toPath: inbox.appendingPathComponent("customers-1.csv").path)
        let ledger = try SQLiteLedger(path: dir.path("ledger.sqlite").path, create: true)
        let lines = Lines()
        var summary = TickSummary()
        #expect(Inbox(directory: inbox, importer: CSVImporter(ledger: ledger, timeZone: Self.zone), log: lines.log, metrics: MetricsExporter())
                    .ingest(now: Self.now, summary: &summary))
        #expect(summary.imported == 1)
        #expect(lines.all.contains("level=notice event=import_encoding file=customers-1.csv kind=customers encoding=Windows-1252\n"), "\(lines.all)")
        #expect(!lines.all.joined().contains("Jo"), "no name reaches the log")
    }

    /// A file the inbox does not read is logged once per process, not at every tick, and again
    /// if it leaves and comes back.
    @Test func anIgnoredFileIsLoggedOnce() throws {
        let dir = try TemporaryDirectory("lembra-sheets")
        let inbox = dir.path("inbox")
        try dir.write("inbox/clientes.csv", "id,name\n")
        try dir.write("inbox/debts.xlsx", "PK")
        try dir.write("inbox/.debts-1.csv.tmp", "id\n")
        let ledger = try SQLiteLedger(path: dir.path("ledger.sqlite").path, create: true)
        let lines = Lines()
        let box = Inbox(directory: inbox, importer: CSVImporter(ledger: ledger, timeZone: Self.zone), log: lines.log, metrics: MetricsExporter())
        var summary = TickSummary()
        let ignored = { lines.all.filter { $0.contains("event=inbox_ignored") } }
        #expect(box.ingest(now: Self.now, summary: &summary))
        #expect(ignored() == [
            "level=warning event=inbox_ignored file=clientes.csv reason=\"not named customers-*.csv, debts-*.csv or payments-*.csv; left in place\"\n",
            "level=warning event=inbox_ignored file=debts.xlsx reason=\"not named customers-*.csv, debts-*.csv or payments-*.csv; left in place\"\n",
        ], "hidden files (a writer's temporary file) are not reported")
        #expect(box.ingest(now: Self.now, summary: &summary))
        #expect(ignored().count == 2, "the second tick says nothing new")
        #expect(FileManager.default.fileExists(atPath: inbox.appendingPathComponent("clientes.csv").path), "left in place")

        try FileManager.default.removeItem(at: inbox.appendingPathComponent("clientes.csv"))
        #expect(box.ingest(now: Self.now, summary: &summary))
        try dir.write("inbox/clientes.csv", "id,name\n")
        #expect(box.ingest(now: Self.now, summary: &summary))
        #expect(ignored().count == 3 && ignored().last?.contains("file=clientes.csv") == true, "back again: said again")
    }
}
