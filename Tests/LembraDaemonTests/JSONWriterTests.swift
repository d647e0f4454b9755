import Foundation
@testable import LembraDaemon
import Testing
import TestSupport

/// `JSONWriter` against Foundation's JSONEncoder, byte for byte: every ASCII character, the
/// characters JSON writers disagree on (U+007F, U+2028, U+2029, U+FEFF), emoji, and random text.
struct JSONWriterTests {
    /// Each string as the only element of an array, both ways.
    static func expectSameStrings(_ strings: [String], escapingSlashes: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = escapingSlashes ? [] : [.withoutEscapingSlashes]
        for s in strings {
            var w = JSONWriter(escapingSlashes: escapingSlashes, sortedKeys: false)
            w.beginArray()
            w.value(s)
            w.endArray()
            let expected = try encoder.encode([s])
            #expect(w.data == expected, "\(Array(s.unicodeScalars.map(\.value))): \(String(decoding: w.data, as: UTF8.self)) vs \(String(decoding: expected, as: UTF8.self))",
                    sourceLocation: sourceLocation)
        }
    }

    static let special = [
        "", "\"", "\\", "/", "</script>", "a\"b\\c/d", "\u{7f}", "\u{80}", "\u{a0}", "\u{2028}", "\u{2029}", "\u{feff}", "\u{fffd}",
        "\u{10ffff}", "😀", "👩‍👩‍👧", "🇧🇷", "e\u{301}", "São Paulo — R$ 1.234,56", "\r\n", "\u{0}\u{0}", String(repeating: "ã\"", count: 500),
    ]

    @Test(arguments: [true, false]) func everyASCIICharacterAndTheUsualSuspects(escapingSlashes: Bool) throws {
        let ascii = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        try Self.expectSameStrings(ascii + ascii.map { "x\($0)y" } + [ascii.joined()] + Self.special, escapingSlashes: escapingSlashes)
    }

    @Test(arguments: [true, false]) func randomText(escapingSlashes: Bool) throws {
        var rng = SeededGenerator(seed: escapingSlashes ? 11 : 12)
        let ranges: [ClosedRange<UInt32>] = [0...0x7f, 0...0x1f, 0x80...0x7ff, 0x800...0xd7ff, 0xe000...0xffff, 0x1_0000...0x10_ffff, 0x2028...0x2029]
        let strings = (0..<2000).map { _ in
            String(String.UnicodeScalarView((0..<Int(rng.next() % 40)).compactMap { _ in
                let r = ranges[Int(rng.next() % UInt64(ranges.count))]
                return UnicodeScalar(r.lowerBound + UInt32(rng.next() % UInt64(r.count)))
            }))
        }
        try Self.expectSameStrings(strings, escapingSlashes: escapingSlashes)
    }

    struct Shape: Encodable {
        struct Inner: Encodable { var a: Int, b: String?, c: Bool }
        var flag: Bool
        var inner: [Inner]
        var n: Int
        var name: String?
        var z: String
    }

    /// Numbers, booleans, nested containers, empty arrays and nil optionals (left out, as
    /// synthesized `Encodable` leaves them out), keys sorted.
    @Test func containersNumbersAndNilOptionals() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for inner in [[], [Shape.Inner(a: 0, b: nil, c: false)], [.init(a: Int.min, b: "x", c: true), .init(a: Int.max, b: nil, c: false), .init(a: -1, b: "", c: true)]] {
            for name in [nil, "n\u{1}/"] {
                let shape = Shape(flag: inner.isEmpty, inner: inner, n: inner.count - 1, name: name, z: "z")
                var w = JSONWriter(escapingSlashes: false, sortedKeys: true)
                w.beginObject()
                w.field("flag", shape.flag)
                w.key("inner")
                w.beginArray()
                for i in shape.inner {
                    w.beginObject()
                    w.field("a", i.a)
                    w.field("b", i.b)
                    w.field("c", i.c)
                    w.endObject()
                }
                w.endArray()
                w.field("n", shape.n)
                w.field("name", shape.name)
                w.field("z", shape.z)
                w.endObject()
                let expected = try encoder.encode(shape)
                #expect(w.data == expected, "\(String(decoding: w.data, as: UTF8.self)) vs \(String(decoding: expected, as: UTF8.self))")
            }
        }
    }
}
