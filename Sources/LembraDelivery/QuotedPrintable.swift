/// Quoted-printable body encoding (RFC 2045 §6.7) of UTF-8 text.
///
/// Chosen over base64 because Portuguese text stays mostly readable on the wire and in the
/// outbox, and over 8bit because not every relay advertises 8BITMIME.
enum QuotedPrintable {
    /// Encoded lines never exceed this many characters (the `=` of a soft break included).
    static let maxLineLength = 76

    /// Encodes `text`, normalising CRLF, LF and lone CR line endings to CRLF.
    static func encode(_ text: String) -> String {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\r", with: "\n")
        return normalised.split(separator: "\n", omittingEmptySubsequences: false)
            .map { encodeLine(Array($0.utf8)) }
            .joined(separator: "\r\n")
    }

    private static func encodeLine(_ bytes: [UInt8]) -> String {
        var lines: [String] = []
        var current = ""
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            var piece = escape(byte, atLineEnd: isLast)
            // "From " at the start of a line gets mangled by mbox tools: escape its "F".
            if current.isEmpty, byte == UInt8(ascii: "F"), bytes[index...].starts(with: Array("From ".utf8)) {
                piece = "=46"
            }
            // Keep room for the soft-break "=" unless this is the line's last piece.
            let limit = isLast ? maxLineLength : maxLineLength - 1
            if current.count + piece.count > limit {
                lines.append(current + "=")
                current = ""
            }
            current += piece
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }

    private static func escape(_ byte: UInt8, atLineEnd: Bool) -> String {
        let isWhitespace = byte == 0x20 || byte == 0x09
        let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || (isWhitespace && !atLineEnd)
        if literal { return String(UnicodeScalar(byte)) }
        let hex = Array("0123456789ABCDEF")
        return "=" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
    }
}
