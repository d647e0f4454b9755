import LembraCore
import Testing

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
}
