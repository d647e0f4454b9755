import Foundation
import LembraCore

/// One event per line in logfmt on stderr: `level=info event=sent attempt=att_1 ms=41`.
/// Under systemd (`JOURNAL_STREAM` set) each line starts with the sd-daemon `<N>` priority so
/// journald can filter by level. Callers pass ids only — never names, addresses, phone numbers,
/// documents, secrets or message bodies (LGPD).
///
/// Lines carry no timestamp of their own: journald stamps every line it receives (`journalctl
/// -o short-iso` shows it), so one of ours would only repeat it. Times a line is about (a
/// retry's `next=`, a tick's `at=`) are passed as `Date` and written by `times`: ISO 8601 in the
/// business's zone with its offset, or UTC with `--utc`.
public struct Logfmt: Sendable {
    public enum Level: String, Sendable {
        case debug, info, notice, warning, error

        /// syslog priority for the `<N>` prefix.
        var priority: Int {
            switch self { case .debug: 7; case .info: 6; case .notice: 5; case .warning: 4; case .error: 3 }
        }
    }

    let journal: Bool
    let write: @Sendable (String) -> Void
    /// How `Date` fields are written.
    public let times: TimeDisplay

    public init(journal: Bool = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil, times: TimeDisplay = .iso,
                write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.journal = journal
        self.times = times
        self.write = write
    }

    /// The same log with its times in `zone` (a reload may change the business's zone); `--utc` stays.
    public func showingTimes(in zone: TimeZone) -> Logfmt {
        Logfmt(journal: journal, times: TimeDisplay(timeZone: zone, utc: times.utc), write: write)
    }

    public func log(_ level: Level, _ event: String, _ fields: KeyValuePairs<String, any CustomStringConvertible> = [:]) {
        write(line(level, event, fields))
    }

    /// The same, with fields built at run time (the ingress's).
    public func log(_ level: Level, _ event: String, fields: [(String, any CustomStringConvertible)]) {
        write(line(level, event, fields: fields))
    }

    /// The line `log` writes, newline included, for a caller that gathers several and writes
    /// them at once (`write(lines:)`).
    func line(_ level: Level, _ event: String, _ fields: KeyValuePairs<String, any CustomStringConvertible> = [:]) -> String {
        var out = start(level, event)
        for (key, value) in fields { append(key, value, to: &out) }
        return Self.end(&out)
    }

    func line(_ level: Level, _ event: String, fields: [(String, any CustomStringConvertible)]) -> String {
        var out = start(level, event)
        for (key, value) in fields { append(key, value, to: &out) }
        return Self.end(&out)
    }

    /// The same for fields that are all text but a trailing count, such as the line of every
    /// message sent (`Tick.outcomeLine`): each value of the generic line is an existential, cast
    /// to `Date` and copied, about half of its 15,000 instructions.
    func line(_ level: Level, _ event: String, texts: KeyValuePairs<String, String>, count: (key: String, value: Int)) -> String {
        var out = start(level, event)
        for (key, value) in texts { append(key, text: value, to: &out) }
        append(count.key, text: String(count.value), to: &out)
        return Self.end(&out)
    }

    // A line is built on bytes: a tick writes one per message, and building it by String
    // interpolation cost about 25,000 instructions a line.

    private func start(_ level: Level, _ event: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(192)
        if journal { Self.append(bytesOf: "<\(level.priority)>", to: &out) }
        Self.append(bytesOf: "level=", to: &out)
        Self.append(bytesOf: level.rawValue, to: &out)
        Self.append(bytesOf: " event=", to: &out)
        Self.append(bytesOf: Logfmt.quote(event), to: &out)
        return out
    }

    private func append(_ key: String, _ value: any CustomStringConvertible, to out: inout [UInt8]) {
        append(key, text: (value as? Date).map(times.field) ?? value.description, to: &out)
    }

    private func append(_ key: String, text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: " "))
        Self.append(bytesOf: key, to: &out)
        out.append(UInt8(ascii: "="))
        // A plain value is checked and copied on its bytes in place; only the others are quoted.
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.isEmpty, bytes.allSatisfy(Self.isPlain) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain != true { Self.append(bytesOf: Logfmt.quote(text), to: &out) }
    }

    /// `text`'s UTF-8 appended in one copy where its bytes are contiguous (they are in native
    /// strings), not byte by byte through the generic path.
    private static func append(bytesOf text: String, to out: inout [UInt8]) {
        if text.utf8.withContiguousStorageIfAvailable({ out.append(contentsOf: $0) }) == nil { out += text.utf8 }
    }

    private static func end(_ out: inout [UInt8]) -> String {
        out.append(UInt8(ascii: "\n"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Whole lines from `line`, written in one call: a batch's outcomes cost one `write(2)`, not
    /// one per message (128 for a webhook batch), and reach journald as soon as the batch is done.
    func write(lines: String) {
        if !lines.isEmpty { write(lines) }
    }

    /// Quotes values with spaces, quotes, `=` or control characters; escapes `"`, `\` and newlines.
    /// Values made of printable ASCII without those (ids, counts, most reasons) are checked on
    /// their bytes and returned as they are, without walking their `Character`s.
    static func quote(_ value: String) -> String {
        if !value.isEmpty, value.utf8.allSatisfy(isPlain) { return value }
        let needs = value.isEmpty || value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || $0.isNewline || $0.asciiValue.map { $0 < 32 } == true }
        guard needs else { return value }
        var out = "\""
        for ch in value {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(ch)
            }
        }
        return out + "\""
    }

    /// Printable ASCII other than space, `"`, `=` and `\`.
    private static func isPlain(_ byte: UInt8) -> Bool {
        byte > 32 && byte < 128 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "=") && byte != UInt8(ascii: "\\")
    }
}
