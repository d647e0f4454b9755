@testable import LembraDelivery
import Testing
import TestSupport

/// The body encoding, written through a buffer sized for the worst case, against the code it
/// replaced (`LegacyQuotedPrintable`) on random text, and decoded back: the same bytes, lines
/// of at most 76 characters, and the text itself with its line breaks as CRLF.
struct QuotedPrintableOracleTests {
    static let pieces = ["a", "Olá", "ção", " ", "  ", "\t", "=", "==", "From ", "F", "\n", "\r\n", "\r", "\n\n", "😀", "e\u{301}",
                         String(repeating: "x", count: 80), String(repeating: "=", count: 40), String(repeating: "é", count: 30),
                         "R$ 1.234,56", "\u{7f}", "\u{0}", "~", "?"]

    @Test func bodiesEncodeAsTheyDidAndDecodeBack() {
        var rng = SeededGenerator(seed: 0x0B0D)
        for i in 0..<20_000 {
            let text = (0..<Int(rng.next() % 12)).map { _ in Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }.joined()
            var encoded: [UInt8] = [1, 2] // appended to what is there
            QuotedPrintable.encode(text, into: &encoded)
            var legacy: [UInt8] = [1, 2]
            LegacyQuotedPrintable.encode(text, into: &legacy)
            #expect(encoded == legacy, "case \(i): \(text.debugDescription)")
            let body = Array(encoded.dropFirst(2))
            #expect(Self.lines(body).allSatisfy { $0.count <= QuotedPrintable.maxLineLength }, "case \(i)")
            #expect(Self.decode(body) == Array(Self.crlf(text).utf8), "case \(i): \(text.debugDescription)")
        }
    }

    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x0D, bytes[i + 1] == 0x0A { lines.append(bytes[start..<i]); start = i + 2; i += 2 } else { i += 1 }
        }
        lines.append(bytes[start...])
        return lines
    }

    /// RFC 2045 decoding: soft breaks removed, `=XX` turned back into its byte.
    static func decode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "="), i + 2 < bytes.count, bytes[i + 1] == 0x0D, bytes[i + 2] == 0x0A {
                i += 3
            } else if bytes[i] == UInt8(ascii: "="), i + 2 < bytes.count, let byte = UInt8(String(decoding: bytes[i + 1...i + 2], as: UTF8.self), radix: 16) {
                out.append(byte)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    /// `text` with every line break (CRLF, LF, lone CR) as CRLF.
    static func crlf(_ text: String) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0D || bytes[i] == 0x0A {
                out += [0x0D, 0x0A]
                if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
            } else {
                out.append(bytes[i])
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
