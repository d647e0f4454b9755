import Foundation
import LembraStore

/// The drop folder: `customers-*.csv`, `debts-*.csv` and `payments-*.csv` are imported at the
/// start of each tick (customers first, then debts, then payments, each by name), then moved to
/// `done/`, or to `rejected/` beside a `.error` file naming row and column. Writers must create
/// files elsewhere and rename them in, so a half-written file is never read. Hidden files and
/// other names are left alone. The same content twice is imported once. Only bad data is
/// rejected: when the ledger fails (locked past the busy timeout, unavailable) the file and every
/// later one stay in the inbox for the next tick, in order, since payments may need the debts of
/// a file that could not be imported yet.
struct Inbox {
    let directory: URL
    let importer: CSVImporter
    let log: Logfmt
    let metrics: MetricsExporter

    /// Imports what is in the inbox; false when a file had to wait for the ledger (it and those
    /// after it stay for the next tick).
    func ingest(now: Date, summary: inout TickSummary) -> Bool {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory.path) else { return true }
        let files = names.compactMap { name in ImportKind(fileName: name).map { (name, $0) } }
            .filter { !$0.0.hasPrefix(".") }
            .sorted { (ImportKind.allCases.firstIndex(of: $0.1)!, $0.0) < (ImportKind.allCases.firstIndex(of: $1.1)!, $1.0) }
        for (name, kind) in files {
            let path = directory.appendingPathComponent(name).path
            do {
                let result = try importer.importOnce(kind, path: path, now: now)
                move(name, to: "done")
                summary.imported += 1
                metrics.inboxFile(result: "imported")
                log.log(.info, "imported", ["file": name, "kind": kind.rawValue, "inserted": result?.inserted ?? 0,
                                            "updated": result?.updated ?? 0, "duplicate": result == nil])
            } catch where !error.isBadData {
                metrics.inboxFile(result: "deferred")
                log.log(error.storeKind == .busy ? .warning : .error, "import_deferred",
                        ["file": name, "kind": kind.rawValue, "error": error.lines.joined(separator: "; ").replacingOccurrences(of: path, with: name)])
                return false
            } catch {
                move(name, to: "rejected")
                let report = error.lines.map { $0.replacingOccurrences(of: path, with: name) }.joined(separator: "\n") + "\n"
                try? report.write(to: directory.appendingPathComponent("rejected/\(name).error"), atomically: true, encoding: .utf8)
                summary.rejectedFiles += 1
                metrics.inboxFile(result: "rejected")
                log.log(.error, "rejected", ["file": name, "kind": kind.rawValue, "problems": error.lines.count])
            }
        }
        return true
    }

    /// Moves a file into `done/` or `rejected/`, replacing an older file of the same name there.
    private func move(_ name: String, to folder: String) {
        let fm = FileManager.default
        let target = directory.appendingPathComponent(folder)
        try? fm.createDirectory(at: target, withIntermediateDirectories: true)
        let destination = target.appendingPathComponent(name)
        try? fm.removeItem(at: destination)
        try? fm.moveItem(at: directory.appendingPathComponent(name), to: destination)
    }
}
