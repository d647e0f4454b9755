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

    /// The stored e-mail reads as JSONDecoder reads it: payloads written by `encoded` and by
    /// JSONEncoder (the format before it: `\/`, keys in any order), random strings of every
    /// kind of character, through the fast reader (checked: not a fallback that passes anyway).
    @Test func storedEmailsReadAsJSONDecoderReadsThem() throws {
        var rng = SeededGenerator(seed: 0x7A11)
        let pieces = ["a", "Olá", "😀", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1f}", "\u{7f}", "\u{2028}", "x\u{301}", " ", "=?", "<>"]
        func random() -> String { (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined() }
        let encoder = JSONEncoder()
        for i in 0..<3_000 {
            let url: String? = rng.next() % 2 == 0 ? nil : "https://x.example/u?t=" + random()
            let email = try #require(RenderedEmail(rendered: "Subject: \(random())x\n\n\(random())", to: random(), toName: random(), unsubscribeURL: url))
            for data in [email.encoded(), try encoder.encode(Stored(email))] {
                #expect(FlatJSONObject.parse(data) != nil, "case \(i): read without JSONDecoder")
                #expect(RenderedEmail.decode(data) == email, "case \(i)")
                #expect(RenderedEmail.decode(data) == (try? JSONDecoder().decode(RenderedEmail.self, from: data)), "case \(i)")
            }
        }
    }

    /// Shapes beyond what Lembra writes that the fast reader takes itself (whitespace, null, a
    /// key it does not know, `\u` escapes and a surrogate pair), read as JSONDecoder reads them.
    @Test(arguments: [
        #" { "body" : "b" , "subject":"s","toName":"n", "to":"t" } "#,
        #"{"to":"t","toName":"n","subject":"s","body":"b","unsubscribeURL":null}"#,
        #"{"to":"t","toName":"n","subject":"s","body":"b","extra":"x"}"#,
        #"{"to":"t","toName":"n","subject":"\u00e1\u00C1\ud83d\ude00","body":"\b\f\/"}"#,
    ])
    func otherShapesTheFastReaderTakes(json: String) throws {
        let data = Data(json.utf8)
        #expect(FlatJSONObject.parse(data) != nil)
        let email = try #require(RenderedEmail.decode(data))
        #expect(email == (try JSONDecoder().decode(RenderedEmail.self, from: data)))
    }

    /// Shapes beyond what Lembra writes: read as JSONDecoder reads them, or handed to it.
    @Test(arguments: [
        #" { "body" : "b" , "subject":"s","toName":"n", "to":"t" } "#,
        #"{"to":"t","toName":"n","subject":"s","body":"b","unsubscribeURL":null}"#,
        #"{"to":"t","toName":"n","subject":"s","body":"b","extra":"x"}"#,
        #"{"to":"t","toName":"n","subject":"\u00e1\u00C1\ud83d\ude00","body":"\b\f\/"}"#,
        #"{"to":"t","toName":"n","subject":"s"}"#,
        #"{"to":null,"toName":"n","subject":"s","body":"b"}"#,
        #"{"to":"t","to":"u","toName":"n","subject":"s","body":"b"}"#,
        #"{"to":"t","toName":"n","subject":"s","body":"b","n":1}"#,
        #"{"to":"t","toName":"n","subject":"s","body":"b","o":{}}"#,
        #"{"to":"t","toName":"n","subject":"\ud83d","body":"b"}"#,
        #"{"to":"t","toName":"n","subject":"\ude00","body":"b"}"#,
        #"{"to":"t","toName":"n","subject":"s","body":"b"} x"#,
        #"{"to":"t","toName":"n","subject":"s","body":"b",}"#,
        #"{"to":"t","toName":"n","subject":"s","body":"\x"}"#,
        #"{"to":"t","toName":"n","subject":"s","body":"b"#,
        "{\"to\":\"t\",\"toName\":\"n\",\"subject\":\"s\",\"body\":\"a\u{1}b\"}",
        "[]", "", "{}",
    ])
    func otherShapesReadAsJSONDecoderReadsThem(json: String) {
        let data = Data(json.utf8)
        #expect(RenderedEmail.decode(data) == (try? JSONDecoder().decode(RenderedEmail.self, from: data)))
    }

    /// The reader skips a string's plain bytes eight at a time: a quote, a backslash or a control
    /// character is found at every offset from a word's start, after ASCII or multi-byte text,
    /// and the string reads as JSONDecoder reads it, by the fast reader itself (a raw control
    /// character: neither reads it).
    @Test(arguments: ["a", "é", "😀"])
    func specialBytesAreFoundWhereverTheyFall(filler: String) {
        for special in [#"\""#, #"\\"#, #"\n"#, "\u{1}", "\u{1f}", "\u{7f}"] {
            for offset in 0..<24 {
                let text = String(repeating: filler, count: offset) + special + String(repeating: filler, count: 9)
                let data = Data(#"{"to":"\#(text)","toName":"n","subject":"s","body":"b"}"#.utf8)
                #expect(RenderedEmail.decode(data) == (try? JSONDecoder().decode(RenderedEmail.self, from: data)), "\(special) after \(offset)")
                let control = special.unicodeScalars.first!.value < 0x20
                #expect((FlatJSONObject.parse(data) != nil) == !control, "read by the fast reader: \(special) after \(offset)")
            }
        }
    }

    /// Bytes that are not UTF-8 (a lone continuation byte, a truncated sequence, an encoded
    /// surrogate, an overlong form) are not read: the payload goes to JSONDecoder, which refuses it.
    @Test(arguments: [[0x80], [0xC3], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xFF]] as [[UInt8]])
    func bytesThatAreNotUTF8AreNotRead(bad: [UInt8]) {
        for prefix in ["", "Olá, ", "abcdefghijklmnop"] {
            for suffix in [#"x\n"#, "x", ""] { // with an escape after them, and without
                let data = Data(#"{"to":"t","toName":"n","subject":"s","body":""#.utf8 + Array(prefix.utf8) + bad + Array((suffix + #""}"#).utf8))
                #expect(FlatJSONObject.parse(data) == nil, "\(prefix) \(suffix)")
                #expect(RenderedEmail.decode(data) == nil, "\(prefix) \(suffix)")
            }
        }
    }

    /// The payload as JSONEncoder wrote it before `encoded` (synthesized `Encodable`).
    private struct Stored: Encodable {
        var to, toName, subject, body: String
        var unsubscribeURL: String?
        init(_ e: RenderedEmail) { to = e.to; toName = e.toName; subject = e.subject; body = e.body; unsubscribeURL = e.unsubscribeURL }
    }
}
