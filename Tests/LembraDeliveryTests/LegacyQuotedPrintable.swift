/// Quoted-printable as it was before it wrote through an unsafe buffer (appending to the array
/// byte by byte): the oracle the buffered code is compared with (`QuotedPrintableOracleTests`).
enum LegacyQuotedPrintable {
    static let maxLineLength = 76

    /// Encodes `text`, normalising CRLF, LF and lone CR line endings to CRLF; appends the
    /// encoded bytes to `output`. Works on bytes: it runs for every e-mail sent, so it must stay
    /// linear.
    static func encode(_ text: String, into output: inout [UInt8]) {
        let source = Array(text.utf8)
        output.reserveCapacity(output.count + source.count + source.count / 4)
        var lineStart = 0
        var index = 0
        while index <= source.count {
            let byte = index < source.count ? source[index] : nil
            guard byte == nil || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else { index += 1; continue }
            if lineStart > 0 { output.append(0x0D); output.append(0x0A) }
            encodeLine(source[lineStart..<index], into: &output)
            // CRLF is one line break; so are a lone CR and a lone LF.
            if byte == UInt8(ascii: "\r"), index + 1 < source.count, source[index + 1] == UInt8(ascii: "\n") { index += 1 }
            index += 1
            lineStart = index
            if byte == nil { break }
        }
    }

    private static let from = Array("From ".utf8)
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// One line without its break, soft-broken with `=` so no encoded line exceeds the limit.
    private static func encodeLine(_ bytes: ArraySlice<UInt8>, into output: inout [UInt8]) {
        var length = 0 // of the encoded line being written
        for index in bytes.indices {
            let byte = bytes[index]
            let isLast = index == bytes.endIndex - 1
            let isWhitespace = byte == 0x20 || byte == 0x09
            var literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || (isWhitespace && !isLast)
            // "From " at the start of a line gets mangled by mbox tools: escape its "F".
            if length == 0, byte == UInt8(ascii: "F"), bytes[index...].starts(with: from) { literal = false }
            let width = literal ? 1 : 3
            // Keep room for the soft-break "=" unless this is the line's last piece.
            if length + width > (isLast ? maxLineLength : maxLineLength - 1) {
                output.append(UInt8(ascii: "=")); output.append(0x0D); output.append(0x0A)
                length = 0
            }
            if literal {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "=")); output.append(hex[Int(byte >> 4)]); output.append(hex[Int(byte & 0x0F)])
            }
            length += width
        }
    }
}
