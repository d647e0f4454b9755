import Foundation
@testable import LembraDaemon
import Testing
import TestSupport

/// `RenderedEmail`'s byte-level split and trim against the Foundation and Character-level
/// code they replace (`LegacyComposer.Email`).
struct RenderedEmailTests {
    /// The trimmed set is Foundation's `.whitespaces`, scalar by scalar.
    @Test func spacesAreFoundationsWhitespaces() {
        for v in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(v) else { continue }
            let foundation = String(scalar).trimmingCharacters(in: .whitespaces).isEmpty
            #expect(RenderedEmail.isSpace(scalar) == foundation, "U+\(String(v, radix: 16))")
        }
    }

    /// Random outputs built from the pieces that matter: `\r`, `\n`, spaces of every kind,
    /// combining marks, a "Subject: " prefix or not.
    @Test func splitsAndTrimsAsBefore() {
        var rng = SeededGenerator(seed: 0xE3A1)
        let pieces = ["\n", "\n", "\r", "\r\n", " ", "\t", "\u{a0}", "\u{200b}", "\u{3000}", "\u{301}", "a", "Olá", "😀", "x\u{301}", "—", "\u{2028}", "\u{85}"]
        var matched = 0
        for i in 0..<20_000 {
            var text = rng.next() % 8 == 0 ? "" : "Subject: "
            for _ in 0..<Int(rng.next() % 14) { text += pieces[Int(rng.next() % UInt64(pieces.count))] }
            let new = RenderedEmail(rendered: text, to: "a@b.c", toName: "A")
            let old = LegacyComposer.Email(rendered: text, to: "a@b.c", toName: "A", unsubscribeURL: nil)
            #expect(new?.subject == old?.subject && new?.body == old?.body, "case \(i): \(Array(text.unicodeScalars.map(\.value)))")
            if old != nil { matched += 1 }
        }
        #expect(matched > 2000)
    }
}
