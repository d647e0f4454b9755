/// CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR.
///
/// It is the checksum of the Pix BR Code (field 63, Manual de Padrões para Iniciação do Pix) and
/// the same function as Python's `binascii.crc_hqx(data, 0xFFFF)`, which the tests use as the
/// independent reference. Check value: `"123456789"` → `0x29B1`.
///
/// Table-driven, a byte at a time: every reminder with a Pix code computes one, and eight shifts
/// per byte showed in the profile of composing a message. The 256 entries are the bitwise CRC of
/// each byte value, worked out once from the polynomial (the tests compare both over random input).
public enum CRC16 {
    /// The checksum of `bytes`.
    public static func ccittFalse(_ bytes: some Sequence<UInt8>) -> UInt16 {
        table.withUnsafeBufferPointer { table in
            if let crc = bytes.withContiguousStorageIfAvailable({ update(0xFFFF, with: $0, table: table) }) { return crc }
            return update(0xFFFF, with: bytes, table: table)
        }
    }

    private static func update(_ crc: UInt16, with bytes: some Sequence<UInt8>, table: UnsafeBufferPointer<UInt16>) -> UInt16 {
        var crc = crc
        for byte in bytes {
            crc = crc << 8 ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
        }
        return crc
    }

    /// Entry `i`: the CRC register after shifting the byte `i` through it from zero, bit by bit.
    static let table: [UInt16] = (0...255).map { (i: UInt16) in
        var crc = i << 8
        for _ in 0..<8 {
            crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
        }
        return crc
    }
}
