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
        while bytes.count - at >= 8, !needsLook(base.loadUnaligned(fromByteOffset: at, as: UInt64.self), slash: slash) { at += 8 }
        while at < bytes.count, !needsLook(bytes[at], slash: slash) { at += 1 }
        return at
    }

    /// Whether any of the eight bytes of `word` needs a look, whatever the byte order: the
    /// classic word-at-a-time tests "has a zero byte" (after XOR with the byte looked for) and
    /// "has a byte less than n", both exact for "any".
    static func needsLook(_ word: UInt64, slash: Bool) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        var found = (word &- 0x20 &* ones) & ~word & highs
        found |= hasZero(word ^ (UInt64(UInt8(ascii: "\"")) &* ones)) | hasZero(word ^ (UInt64(UInt8(ascii: "\\")) &* ones))
        if slash { found |= hasZero(word ^ (UInt64(UInt8(ascii: "/")) &* ones)) }
        return found != 0
    }

    static func needsLook(_ byte: UInt8, slash: Bool) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || (slash && byte == UInt8(ascii: "/"))
    }
}
