import Foundation
import LembraCore
import LembraStore

/// Reads one CSV file and applies it to the ledger in one transaction: all rows or none.
public struct CSVImporter {
    public let ledger: any LedgerImports
    /// Zone for `paid_at` values written without an offset.
    public let timeZone: TimeZone

    public init(ledger: any LedgerImports, timeZone: TimeZone) { self.ledger = ledger; self.timeZone = timeZone }

    /// Problems carry the file name: `FILE:ROW: column: message`.
    public struct Failure: Error, Sendable {
        public var file: String
        public var lines: [String]
        /// Set when the ledger failed (locked, unavailable) rather than the file: not bad data.
        public var storeKind: StoreError.Kind? = nil

        /// Whether the file itself is at fault. When it isn't (the ledger was locked or can't be
        /// used), the same file may well import later, so it must not be rejected.
        public var isBadData: Bool { storeKind == nil }

        init(file: String, lines: [String], storeKind: StoreError.Kind? = nil) {
            self.file = file; self.lines = lines; self.storeKind = storeKind
        }

        init(store e: StoreError, file: String) {
            self.init(file: file, lines: e.rowErrors.isEmpty ? ["\(file): \(e)"] : e.rowErrors.map { "\(file):\($0)" },
                      storeKind: e.kind == .busy || e.ledgerUnusable ? e.kind : nil)
        }
    }

    public func importFile(_ kind: ImportKind, path: String, now: Date) throws(Failure) -> ImportReport {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(file: path, lines: ["\(path): cannot read the file"]) }
        let table = try table(data, path)
        return ImportReport(summary: try apply(kind, table, file: path, now: now), encoding: table.encoding)
    }

    /// Imports `data`, the content of the file at `path` (read by the inbox, which never follows a
    /// link), only if that exact content was never imported; nil when it was. Import and mark
    /// are two commits: a crash between them re-imports on the next tick, which changes nothing
    /// (updates by id, payments deduplicated).
    public func importOnce(_ kind: ImportKind, data: Data, path: String, now: Date) throws(Failure) -> ImportReport? {
        let digest = SHA256Digest.hex(data)
        do {
            if try ledger.wasImported(sha256: digest) { return nil }
            let table = try table(data, path)
            let summary = try apply(kind, table, file: path, now: now)
            try ledger.markImported(sha256: digest, kind: kind.rawValue, name: URL(fileURLWithPath: path).lastPathComponent, now: now)
            return ImportReport(summary: summary, encoding: table.encoding)
        } catch let e as Failure {
            throw e
        } catch let e as StoreError {
            throw Failure(store: e, file: path)
        } catch {
            throw Failure(file: path, lines: ["\(path): \(error)"])
        }
    }

    func table(_ data: Data, _ path: String) throws(Failure) -> CSVTable {
        do { return try CSVReader.parse([UInt8](data)) } catch { throw Failure(file: path, lines: ["\(path):\(error.description)"]) }
    }

    func apply(_ kind: ImportKind, _ table: CSVTable, file: String, now: Date) throws(Failure) -> ImportSummary {
        do {
            switch kind {
            case .customers: return try ledger.importCustomers(CustomerRecords.decode(table), columns: Set(table.header), now: now)
            case .debts: return try ledger.importDebts(DebtRecords.decode(table, timeZone: timeZone), columns: Set(table.header), now: now)
            case .payments: return try ledger.importPayments(PaymentRecords.decode(table, timeZone: timeZone), now: now)
            }
        } catch let e as CSVImportError {
            throw Failure(file: file, lines: e.errors.map { "\(file):\($0)" })
        } catch let e as StoreError {
            throw Failure(store: e, file: file)
        } catch {
            throw Failure(file: file, lines: ["\(file): \(error)"])
        }
    }
}
