/// Quoted-printable body encoding (RFC 2045 §6.7) of UTF-8 text.
///
/// Chosen over base64 because Portuguese text stays mostly readable on the wire and in the
/// outbox, and over 8bit because not every relay advertises 8BITMIME.
enum QuotedPrintable {
    /// Encoded lines never exceed this many characters (the `=` of a soft break included).
    static let maxLineLength = 76

    /// Encodes `text`, normalising CRLF, LF and lone CR line endings to CRLF; appends the
    /// encoded bytes to `output`. Works on bytes, written through a buffer sized for the worst
    /// case: it runs for every e-mail sent, and appending to an array byte by byte (a capacity
    /// and uniqueness check each) cost about 30 instructions a byte.
    static func encode(_ text: String, into output: inout [UInt8]) {
        let source = Array(text.utf8)
        // At most 3 bytes out per byte in (`=XX`, or CRLF for a line break), plus a soft break
        // (`=` CRLF) per 25 escaped bytes: 3.12 at worst; 4 leaves room.
        let encoded = [UInt8](unsafeUninitializedCapacity: source.count * 4 + 8) { out, count in
            count = 0
            source.withUnsafeBufferPointer { source in
                var lineStart = 0
                var index = 0
                while index <= source.count {
                    let byte = index < source.count ? source[index] : nil
                    guard byte == nil || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else { index += 1; continue }
                    if lineStart > 0 { put(0x0D, 0x0A, into: out, at: &count) }
                    encodeLine(UnsafeBufferPointer(rebasing: source[lineStart..<index]), into: out, at: &count)
                    // CRLF is one line break; so are a lone CR and a lone LF.
                    if byte == UInt8(ascii: "\r"), index + 1 < source.count, source[index + 1] == UInt8(ascii: "\n") { index += 1 }
                    index += 1
                    lineStart = index
                    if byte == nil { break }
                }
            }
        }
        output += encoded
    }

    private static let from = Array("From ".utf8)
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// One line without its break, soft-broken with `=` so no encoded line exceeds the limit;
    /// written to `out` from `count` on.
    private static func encodeLine(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>, at count: inout Int) {
        var length = 0 // of the encoded line being written
        for index in 0..<bytes.count {
            let byte = bytes[index]
            let isLast = index == bytes.count - 1
            let isWhitespace = byte == 0x20 || byte == 0x09
            var literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || (isWhitespace && !isLast)
            // "From " at the start of a line gets mangled by mbox tools: escape its "F".
            if length == 0, byte == UInt8(ascii: "F"), bytes[index...].starts(with: from) { literal = false }
            let width = literal ? 1 : 3
            // Keep room for the soft-break "=" unless this is the line's last piece.
            if length + width > (isLast ? maxLineLength : maxLineLength - 1) {
                put(UInt8(ascii: "="), 0x0D, 0x0A, into: out, at: &count)
                length = 0
            }
            if literal {
                out[count] = byte
                count += 1
            } else {
                put(UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)], into: out, at: &count)
            }
            length += width
        }
    }

    private static func put(_ a: UInt8, _ b: UInt8, into out: UnsafeMutableBufferPointer<UInt8>, at count: inout Int) {
        out[count] = a; out[count + 1] = b
        count += 2
    }

    private static func put(_ a: UInt8, _ b: UInt8, _ c: UInt8, into out: UnsafeMutableBufferPointer<UInt8>, at count: inout Int) {
        out[count] = a; out[count + 1] = b; out[count + 2] = c
        count += 3
    }
}
