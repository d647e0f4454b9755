import Foundation

/// The lines of a webhook channel's `headers_file`: one `Name: value` a line, as HTTP writes
/// them; blank lines and lines starting with `#` are skipped. The file is a secret (a gateway's
/// API token), so a problem names the line, never its text. Names and values are checked
/// further by `WebhookSettings.validate`, like those of `headers:`.
enum HeaderLines {
    /// A line that is not `Name: value`, by its number (from 1).
    struct Problem: Error, Equatable {
        let line: Int
    }

    static func parse(_ text: String) -> Result<[(name: String, value: String)], Problem> {
        var headers: [(name: String, value: String)] = []
        // `\r\n` is one Character, a newline: split on every kind, so CRLF files read the same.
        for (i, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { return .failure(Problem(line: i + 1)) }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((String(line[..<colon]), value))
        }
        return .success(headers)
    }
}
