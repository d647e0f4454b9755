import Foundation

/// What a progress file (`ProgressFile`) says about the attempts a crash left `sending`, read
/// once by the next tick's recovery before it writes a new file.
///
/// It is trusted only when it can be: written since this boot (its header carries the kernel's
/// boot id; the lines were never synced, so after a reboot some may be missing), with every line
/// whole and checksummed. A last line without its newline is a write the crash cut short: it is
/// left out, which is what it means (a `started` not fully written was never followed by the
/// transfer; a `finished` cut short leaves the attempt `started`, in doubt). Anything else that
/// does not read (a damaged line before the end, a foreign header) distrusts the whole file.
public struct ProgressRecord: Sendable, Equatable {
    /// Why the file is not trusted (`missing`, `empty`, `no_boot_id`, `other_boot`, `corrupt`,
    /// `unreadable`); nil when it is.
    public let distrust: String?
    private let events: [String: ProgressEvent]

    /// The last event of attempt `id`; nil when the file is not trusted or never mentions it
    /// (it was then written before this attempt was marked: only the ledger knows of it).
    public func event(_ id: String) -> ProgressEvent? { events[id] }

    private init(distrust: String?, events: [String: ProgressEvent] = [:]) {
        self.distrust = distrust
        self.events = events
    }

    /// Reads the progress file of the ledger at `database`; `bootID` is this boot's (nil when
    /// it can't be read: nothing is trusted then).
    public static func read(database: String, bootID: String?) -> ProgressRecord {
        read(path: ProgressFile.path(forDatabase: database), bootID: bootID)
    }

    /// Reads the progress file at `path` (see `ProgressFile.init(path:bootID:)`).
    public static func read(path: String, bootID: String?) -> ProgressRecord {
        guard FileManager.default.fileExists(atPath: path) else { return ProgressRecord(distrust: "missing") }
        guard let data = FileManager.default.contents(atPath: path) else { return ProgressRecord(distrust: "unreadable") }
        return parse(data, bootID: bootID)
    }

    /// The record `data` (a progress file's bytes) holds, for this boot's `bootID`.
    public static func parse(_ data: Data, bootID: String?) -> ProgressRecord {
        guard let bootID else { return ProgressRecord(distrust: "no_boot_id") }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        lines.removeLast() // what follows the last newline: empty, or a line the crash cut short
        guard let first = lines.first else { return ProgressRecord(distrust: "empty") }
        guard let header = decode(first), header.hasPrefix(ProgressLine.magic + " ") else { return ProgressRecord(distrust: "corrupt") }
        guard header == ProgressLine.header(bootID: bootID) else { return ProgressRecord(distrust: "other_boot") }
        var events: [String: ProgressEvent] = [:]
        for line in lines.dropFirst() {
            guard let payload = decode(line), let parsed = ProgressLine.event(payload) else { return ProgressRecord(distrust: "corrupt") }
            events[parsed.id] = parsed.event
        }
        return ProgressRecord(distrust: nil, events: events)
    }

    /// The checked payload of one line's bytes; nil when they are not UTF-8 or the checksum fails.
    private static func decode(_ bytes: Data) -> Substring? {
        String(data: bytes, encoding: .utf8).flatMap { ProgressLine.decode(Substring($0)) }
    }
}
