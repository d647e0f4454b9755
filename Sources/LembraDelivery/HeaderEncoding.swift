/// RFC 2047 encoded-words and RFC 5322 folding, kept apart from the message builder so each
/// can be read (and tested through the builder) on its own.
enum HeaderEncoding {
    /// Lines, including the `Name: ` prefix, stay within this many characters (RFC 5322 "SHOULD").
    static let maxLineLength = 78
    /// UTF-8 bytes per encoded-word: 39 bytes → 52 base64 chars → a 64-char word, which fits on a
    /// line after any header name we write ("Reply-To: " is the longest encoded one).
    private static let bytesPerWord = 39

    /// `text` as UTF-8 "B" encoded-words, split on character boundaries so no word holds half a
    /// character. Decoders ignore the whitespace between adjacent encoded-words.
    static func encodedWords(_ text: String) -> [String] {
        let utf8 = text.utf8
        // When every Character is a single scalar, the chunks can be cut on the bytes, before any
        // byte that does not continue a scalar: the same words, without building Characters.
        // Below U+0300 (lead bytes under 0xCC) and without CR that is always so (Portuguese
        // text); otherwise counting tells (a Subject's "—" is one scalar, "e\u{301}" is not).
        if utf8.allSatisfy({ $0 < 0xCC && $0 != 0x0D }) || text.count == text.unicodeScalars.count {
            return encodedWords(singleScalarCharacters: Array(utf8))
        }
        var words: [String] = []
        var chunk: [UInt8] = []
        chunk.reserveCapacity(bytesPerWord + 16)
        for character in text {
            let bytes = character.utf8
            if chunk.count + bytes.count > bytesPerWord, !chunk.isEmpty {
                words.append(word(chunk))
                chunk.removeAll(keepingCapacity: true)
            }
            chunk.append(contentsOf: bytes)
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words
    }

    /// `encodedWords` of text whose every Character is one scalar, given as its UTF-8 `bytes`.
    private static func encodedWords(singleScalarCharacters bytes: [UInt8]) -> [String] {
        var words: [String] = []
        var start = 0
        while start < bytes.count {
            var end = min(start + bytesPerWord, bytes.count)
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            words.append(word(Array(bytes[start..<end])))
            start = end
        }
        return words
    }

    private static func word(_ bytes: [UInt8]) -> String {
        var out = Array("=?UTF-8?B?".utf8)
        out.reserveCapacity(out.count + (bytes.count + 2) / 3 * 4 + 2)
        Base64.append(bytes, to: &out)
        out += "?=".utf8
        return String(decoding: out, as: UTF8.self)
    }

    /// An unstructured value (Subject): plain words folded at spaces when that is enough, else
    /// encoded-words (non-ASCII, an over-long word, or text that looks like an encoded-word).
    /// Decided on bytes: once the text is known to be ASCII (no CR or LF reach here), a byte is
    /// a character, and Subject is encoded for every e-mail.
    static func unstructuredTokens(_ text: String, headerName: String) -> [String] {
        let utf8 = text.utf8
        guard utf8.allSatisfy({ $0 < 0x80 && $0 != 0x09 }) else { return encodedWords(text) }
        let words = utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        let plain = !holdsEncodedWordStart(utf8)
            && !words.contains(where: \.isEmpty)
            && words.allSatisfy { $0.count + headerName.utf8.count + 2 <= maxLineLength }
        return plain ? words.map { String(decoding: $0, as: UTF8.self) } : encodedWords(text)
    }

    /// Whether `text` holds `=?`, which a decoder could take for an encoded-word.
    private static func holdsEncodedWordStart(_ text: String.UTF8View) -> Bool {
        var previous: UInt8 = 0
        for byte in text {
            if previous == UInt8(ascii: "="), byte == UInt8(ascii: "?") { return true }
            previous = byte
        }
        return false
    }

    /// `Name: token token ...` with CRLF + space inserted between tokens where a line would
    /// otherwise exceed `maxLineLength`. No CRLF at the end. Lengths are counted in bytes: every
    /// token is ASCII (names, addresses, ASCII words; encoded-words for anything else).
    static func fold(_ name: String, _ tokens: [String]) -> String {
        var out = name + ":"
        var length = out.utf8.count
        var first = true
        for token in tokens {
            let width = token.utf8.count
            // A token longer than a line still goes somewhere: never fold before the first one.
            if !first, length + 1 + width > maxLineLength {
                out += "\r\n"
                length = 0
            }
            out += " "
            out += token
            length += 1 + width
            first = false
        }
        return out
    }
}
