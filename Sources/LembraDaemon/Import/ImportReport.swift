import LembraCore
import LembraStore

/// What importing one file did, and how it was read: the command prints both, the inbox logs them.
public struct ImportReport: Sendable, Equatable {
    public var summary: ImportSummary
    /// Windows-1252 when the file was not UTF-8 (`CSVEncoding`): said, so a wrong guess is seen.
    public var encoding: CSVEncoding

    /// Logs the encoding assumed, if any: file name and kind only, never a value of the file.
    public func logEncoding(_ log: Logfmt, file: String, kind: ImportKind) {
        guard encoding != .utf8 else { return }
        log.log(.notice, "import_encoding", ["file": file, "kind": kind.rawValue, "encoding": encoding.rawValue])
    }
}
