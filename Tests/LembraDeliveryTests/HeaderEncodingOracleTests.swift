import Foundation
@testable import LembraDelivery
import Testing
import TestSupport

/// Subject and address headers, now built on bytes, against the Character-level code they
/// replace (`LegacyHeaderEncoding`), on random text: the same tokens and the same folded lines.
struct HeaderEncodingOracleTests {
    static let pieces = ["a", "Lembrete", " ", " ", "  ", "\t", "=?", "=", "?", "Olá", "ção", "😀", "e\u{301}", "\"", "\\", "—",
                         String(repeating: "x", count: 70), "R$ 1.234,56", "20/11/2026", "\u{a0}"]

    static func random(_ rng: inout SeededGenerator) -> String {
        (0..<Int(rng.next() % 9)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
    }

    @Test func subjectsEncodeAndFoldAsTheyDidOnCharacters() {
        var rng = SeededGenerator(seed: 0x5B1E)
        var plain = 0
        for i in 0..<20_000 {
            let subject = Self.random(&rng)
            let tokens = HeaderEncoding.unstructuredTokens(subject, headerName: "Subject")
            #expect(tokens == LegacyHeaderEncoding.unstructuredTokens(subject, headerName: "Subject"), "case \(i): \(subject)")
            #expect(HeaderEncoding.fold("Subject", tokens) == LegacyHeaderEncoding.fold("Subject", tokens), "case \(i)")
            if !subject.isEmpty, !(tokens.first?.hasPrefix("=?") ?? true) { plain += 1 }
        }
        #expect(plain > 1_000, "plain words folded, not only encoded-words")
    }

    @Test func displayNamesQuoteOrEncodeAsTheyDidOnCharacters() throws {
        var rng = SeededGenerator(seed: 0xD15A)
        var quoted = 0
        for i in 0..<20_000 {
            let name = Self.random(&rng).filter { $0 != "\t" }
            let address = try EmailAddress("ana@example.com", displayName: name)
            let legacy = LegacyHeaderEncoding.headerTokens("ana@example.com", name.isEmpty ? nil : name)
            #expect(address.headerTokens == legacy, "case \(i): \(name)")
            #expect(HeaderEncoding.fold("From", address.headerTokens) == LegacyHeaderEncoding.fold("From", legacy), "case \(i)")
            if address.headerTokens.first?.hasPrefix("\"") == true { quoted += 1 }
        }
        #expect(quoted > 1_000, "quoted names, not only encoded-words")
    }
}
