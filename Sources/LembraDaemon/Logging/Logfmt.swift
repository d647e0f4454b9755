import Foundation

/// One event per line in logfmt on stderr: `level=info event=sent attempt=att_1 ms=41`.
/// Under systemd (`JOURNAL_STREAM` set) each line starts with the sd-daemon `<N>` priority so
/// journald can filter by level. Callers pass ids only — never names, addresses, phone numbers,
/// documents, secrets or message bodies (LGPD).
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

    public init(journal: Bool = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil,
                write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.journal = journal
        self.write = write
    }

    public func log(_ level: Level, _ event: String, _ fields: KeyValuePairs<String, any CustomStringConvertible> = [:]) {
        var line = journal ? "<\(level.priority)>" : ""
        line += "level=\(level.rawValue) event=\(Logfmt.quote(event))"
        for (key, value) in fields { line += " \(key)=\(Logfmt.quote(value.description))" }
        write(line + "\n")
    }

    /// Quotes values with spaces, quotes, `=` or control characters; escapes `"`, `\` and newlines.
    static func quote(_ value: String) -> String {
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
}
