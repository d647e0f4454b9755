import Foundation
import LembraDelivery
import LembraStore

/// The drop folder: `customers-*.csv`, `debts-*.csv` and `payments-*.csv` are imported at the
/// start of each tick (customers first, then debts, then payments, each by name), then moved to
/// `done/`, or to `rejected/` beside a `.error` file naming row and column. Writers must create
/// files elsewhere and rename them in, so a half-written file is never read. Hidden files are
/// left alone; other names are left too, and logged once (`IgnoredInboxFiles`). The same
/// content twice is imported once. Only bad data is rejected: when the ledger fails (locked past the busy timeout, unavailable) the file and every
/// later one stay in the inbox for the next tick, in order, since payments may need the debts of
/// a file that could not be imported yet.
///
/// Only plain files are read, opened without following a symbolic link: a link to a secret (or a
/// FIFO, a device) is moved to `rejected/` unread, its `.error` saying only what it is. `done/`
/// and `rejected/` must be real folders: a link there would carry the customers' data, or an
/// error report quoting it, wherever it points; while one is, nothing is imported (nor planned,
/// as when the ledger is locked). Error reports are readable by their owner only.
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
        let visible = names.filter { !$0.hasPrefix(".") }
        logIgnored(visible.filter { ImportKind(fileName: $0) == nil && $0 != "done" && $0 != "rejected" }.sorted())
        let files = visible.compactMap { name in ImportKind(fileName: name).map { (name, $0) } }
            .sorted { (ImportKind.allCases.firstIndex(of: $0.1)!, $0.0) < (ImportKind.allCases.firstIndex(of: $1.1)!, $1.0) }
        guard !files.isEmpty else { return true }
        if let folder = ["done", "rejected"].first(where: { !isFolder($0, creating: false) }) {
            log.log(.error, "inbox_refused", ["folder": folder, "reason": "not a folder (a symbolic link?); files stay in the inbox until it is one"])
            return false
        }
        for (name, kind) in files {
            let path = directory.appendingPathComponent(name).path
            let data: Data
            switch Inbox.readPlainFile(path) {
            case .success(let d): data = d
            case .failure(let refusal):
                reject(name, report: "\(name): \(refusal.what): the inbox takes plain files only (never links, FIFOs or devices); nothing imported\n")
                summary.rejectedFiles += 1
                metrics.inboxFile(result: "rejected")
                log.log(.error, "rejected", ["file": name, "kind": kind.rawValue, "reason": "not_a_plain_file"])
                continue
            }
            do {
                let report = try importer.importOnce(kind, data: data, path: path, now: now)
                let result = report?.summary
                report?.logEncoding(log, file: name, kind: kind)
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
                reject(name, report: error.lines.map { $0.replacingOccurrences(of: path, with: name) }.joined(separator: "\n") + "\n")
                summary.rejectedFiles += 1
                metrics.inboxFile(result: "rejected")
                log.log(.error, "rejected", ["file": name, "kind": kind.rawValue, "problems": error.lines.count])
            }
        }
        return true
    }

    /// Says once which files the inbox will not read, and what names it reads.
    private func logIgnored(_ names: [String]) {
        for name in IgnoredInboxFiles.firstSeen(names, in: directory.path) {
            log.log(.warning, "inbox_ignored", ["file": name, "reason": "not named customers-*.csv, debts-*.csv or payments-*.csv; left in place"])
        }
    }

    /// Moves a file into `done/` or `rejected/` (created, owner only, if missing), replacing an
    /// older file of the same name there. rename(2): a link moves as a link, never what it points to.
    private func move(_ name: String, to folder: String) {
        guard isFolder(folder, creating: true) else { return }
        let destination = directory.appendingPathComponent(folder).appendingPathComponent(name)
        try? FileManager.default.removeItem(at: destination)
        _ = rename(directory.appendingPathComponent(name).path, destination.path)
    }

    /// Moves a file into `rejected/` with its error report beside it.
    private func reject(_ name: String, report: String) {
        move(name, to: "rejected")
        try? PrivateFile.write(Data(report.utf8), to: directory.appendingPathComponent("rejected/\(name).error").path)
    }

    /// Whether `folder` of the inbox is a real folder, or missing (then made, owner only, when
    /// `creating`); false when something else has its name, a symbolic link above all.
    private func isFolder(_ folder: String, creating: Bool) -> Bool {
        let path = directory.appendingPathComponent(folder).path
        var st = stat()
        if lstat(path, &st) != 0, errno == ENOENT {
            guard creating else { return true }
            _ = mkdir(path, 0o700)
        }
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Why a file in the inbox was not read.
    struct Refusal: Error { var what: String }

    /// The content of the plain file at `path`, opened without following a link (`O_NOFOLLOW`)
    /// and without waiting on a FIFO (`O_NONBLOCK`), then checked to be a regular file.
    static func readPlainFile(_ path: String) -> Result<Data, Refusal> {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            return .failure(Refusal(what: errno == ELOOP ? "a symbolic link" : "cannot be opened (\(String(cString: strerror(errno))))"))
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(Refusal(what: "cannot be read (\(String(cString: strerror(errno))))")) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFIFO: return .failure(Refusal(what: "a FIFO"))
        case S_IFDIR: return .failure(Refusal(what: "a folder"))
        default: return .failure(Refusal(what: "not a regular file"))
        }
        do { return .success(try handle.readToEnd() ?? Data()) } catch {
            return .failure(Refusal(what: "cannot be read (\(error.localizedDescription))"))
        }
    }
}
