/// Where a run of bytes that a JSON string holds as they are ends: the next `"`, `\`, control
/// character (below 0x20) or, when asked, `/`. Both the writer (`JSONWriter`, every message's
/// body) and the reader (`FlatJSONObject`, every stored e-mail sent) spend most of a string in
/// such runs; looked at a byte at a time, they cost about 14 instructions a byte.
enum JSONPlainRun {
    /// The index of the first byte from `start` on that needs a look (`bytes.count` if none):
    /// eight bytes at a time while none of the eight does, then one at a time.
    static func end(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, slash: Bool = false) -> Int {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return start }
        var at = start
        while bytes.count - at >= 8, !wordNeedsLook(base.loadUnaligned(fromByteOffset: at, as: UInt64.self), slash: slash) { at += 8 }
        while at < bytes.count, !byteNeedsLook(bytes[at], slash: slash) { at += 1 }
        return at
    }

    /// Whether any of the eight bytes of `word` needs a look, whatever the byte order, by the
    /// classic word-at-a-time tests, both exact for "any": a zero byte (after XOR with the byte
    /// looked for), and a byte less than n (n ≤ 128).
    static func wordNeedsLook(_ word: UInt64, slash: Bool) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        func hasLess(_ v: UInt64, than n: UInt64) -> UInt64 { (v &- n &* ones) & ~v & highs }
        func has(_ byte: UInt8) -> UInt64 { hasZero(word ^ (UInt64(byte) &* ones)) }
        var found = hasLess(word, than: 0x20) | has(UInt8(ascii: "\"")) | has(UInt8(ascii: "\\"))
        if slash { found |= has(UInt8(ascii: "/")) }
        return found != 0
    }

    static func byteNeedsLook(_ byte: UInt8, slash: Bool) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || (slash && byte == UInt8(ascii: "/"))
    }
}
