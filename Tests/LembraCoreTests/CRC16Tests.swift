import LembraCore
import Testing
import TestSupport

/// Expected values come from Python's `binascii.crc_hqx(data, 0xFFFF)`, an independent implementation.
@Suite struct CRC16Tests {
    @Test(arguments: [
        ("123456789", 0x29B1), ("", 0xFFFF), ("A", 0xB915),
        ("00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR"
            + "5913Fulano de Tal6008BRASILIA62070503***6304", 0x1D3D),
    ] as [(String, UInt16)])
    func matchesTheReference(text: String, crc: UInt16) {
        #expect(CRC16.ccittFalse(text.utf8) == crc)
    }

    @Test func seesEveryByte() {
        #expect(CRC16.ccittFalse("123456789".utf8) != CRC16.ccittFalse("123456780".utf8))
        #expect(CRC16.ccittFalse([0x00]) != CRC16.ccittFalse([0x00, 0x00]))
    }

    /// The table-driven CRC against the bit-by-bit one it replaced, kept here as the oracle, over
    /// random inputs of every length up to 600 bytes, as an array, a string's UTF-8 and a
    /// non-contiguous sequence.
    @Test func theTableMatchesTheBitwiseCRC() {
        var rng = SeededGenerator(seed: 0xC1C_16)
        for length in 0...600 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let expected = Self.bitwise(bytes)
            #expect(CRC16.ccittFalse(bytes) == expected, "length \(length)")
            #expect(CRC16.ccittFalse(bytes.lazy.map { $0 }) == expected, "length \(length)")
            let text = String(decoding: bytes.map { $0 & 0x7F }, as: UTF8.self)
            #expect(CRC16.ccittFalse(text.utf8) == Self.bitwise(Array(text.utf8)), "length \(length)")
        }
        for byte in 0...255 { #expect(CRC16.ccittFalse([UInt8(byte)]) == Self.bitwise([UInt8(byte)])) }
    }

    /// CRC-16/CCITT-FALSE bit by bit: the implementation before the table.
    static func bitwise(_ bytes: [UInt8]) -> UInt16 {
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
