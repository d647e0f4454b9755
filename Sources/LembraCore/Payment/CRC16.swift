/// CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR.
///
/// It is the checksum of the Pix BR Code (field 63, Manual de Padrões para Iniciação do Pix) and
/// the same function as Python's `binascii.crc_hqx(data, 0xFFFF)`, which the tests use as the
/// independent reference. Check value: `"123456789"` → `0x29B1`.
///
/// Bitwise rather than table-driven: a BR Code is under 300 bytes, so a 512-byte table would buy
/// nothing but code to review.
public enum CRC16 {
    /// The checksum of `bytes`.
    public static func ccittFalse(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }
}
