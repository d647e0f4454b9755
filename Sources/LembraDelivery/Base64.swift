/// Standard base64 (RFC 4648 §4, with padding) written into bytes, for the encoded-words of
/// every e-mail's headers: Foundation's `Data.base64EncodedString` cost a `Data` and a bridge
/// per word.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Appends the base64 form of `bytes` to `out`: each group of three bytes as four
    /// characters, a last group of one or two padded with `=`.
    static func append(_ bytes: [UInt8], to out: inout [UInt8]) {
        var i = 0
        while i < bytes.count {
            let count = min(3, bytes.count - i)
            var n: UInt32 = 0
            for k in 0..<3 { n = n << 8 | (k < count ? UInt32(bytes[i + k]) : 0) }
            for k in 0..<4 { out.append(k <= count ? alphabet[Int(n >> UInt32(18 - 6 * k) & 63)] : UInt8(ascii: "=")) }
            i += 3
        }
    }
}
