import Foundation

/// Header encoding as it was before it worked on bytes (Characters, `Data.base64EncodedString`,
/// Foundation's `replacingOccurrences`): the oracle the byte-level code is compared with
/// (`HeaderEncodingOracleTests`).
enum LegacyHeaderEncoding {
    static let maxLineLength = 78
    private static let bytesPerWord = 39

    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > bytesPerWord, !chunk.isEmpty {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }

    /// An unstructured value (Subject): plain words folded at spaces when that is enough, else
    /// encoded-words (non-ASCII, an over-long word, or text that looks like an encoded-word).
    static func unstructuredTokens(_ text: String, headerName: String) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let plain = text.allSatisfy { $0.isASCII && $0 != "\t" }
            && !text.contains("=?")
            && !words.contains(where: \.isEmpty)
            && words.allSatisfy { $0.count + headerName.count + 2 <= maxLineLength }
        return plain ? words : encodedWords(text)
    }

    /// `Name: token token ...` with CRLF + space inserted between tokens where a line would
    /// otherwise exceed `maxLineLength`. No CRLF at the end.
    static func fold(_ name: String, _ tokens: [String]) -> String {
        var lines: [String] = []
        let start = name + ":"
        var line = start
        for token in tokens {
            // A token longer than a line still goes somewhere: never fold before the first one.
            if line != start, line.count + 1 + token.count > maxLineLength {
                lines.append(line)
                line = ""
            }
            line += " " + token
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    /// `EmailAddress.headerTokens` as it was.
    static func headerTokens(_ address: String, _ displayName: String?) -> [String] {
        let angle = "<\(address)>"
        guard let displayName else { return [angle] }
        let quoted = "\"" + displayName.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"") + "\""
        if displayName.allSatisfy(\.isASCII), quoted.count <= 60 {
            return [quoted, angle]
        }
        return encodedWords(displayName) + [angle]
    }
}
