import Foundation

/// Writes JSON straight into bytes, for the bodies Lembra builds for every message (the webhook
/// body, the stored e-mail). Foundation's JSONEncoder costs several times more per message (a
/// value tree, a dictionary per object, dynamic dispatch per field, a sort per object).
///
/// The output is what JSONEncoder writes for the same values (the tests compare them byte for
/// byte): no whitespace; strings as UTF-8 with `"` `\` escaped, `\b \f \n \r \t` for those
/// controls and `\u00XX` (lowercase hex) for the other ones below U+0020, nothing else escaped
/// (not U+007F, not U+2028); `/` written as `\/` unless `escapingSlashes` is false
/// (`.withoutEscapingSlashes`). The caller writes the keys of an object in the order it wants:
/// for `.sortedKeys`, ascending by their UTF-8 bytes (checked in debug builds), and a nil
/// optional is left out, as synthesized `Encodable` does (`encodeIfPresent`).
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private let escapingSlashes: Bool
    /// A value or key written in the current container must be preceded by a comma.
    private var needsComma = false
    #if DEBUG
    private let sortedKeys: Bool
    /// The last key written in each open object, for the `.sortedKeys` check.
    private var lastKeys: [String] = []
    #endif

    init(escapingSlashes: Bool, sortedKeys: Bool, capacity: Int = 1024) {
        self.escapingSlashes = escapingSlashes
        #if DEBUG
        self.sortedKeys = sortedKeys
        #endif
        bytes.reserveCapacity(capacity)
    }

    var data: Data { Data(bytes) }

    // MARK: - Containers

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        #if DEBUG
        lastKeys.append("")
        #endif
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
        #if DEBUG
        lastKeys.removeLast()
        #endif
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// `"name":`, ready for the value.
    mutating func key(_ name: StaticString) {
        #if DEBUG
        let text = name.description
        precondition(!sortedKeys || lastKeys.last!.utf8.lexicographicallyPrecedes(text.utf8), "JSON key '\(text)' out of sorted order")
        lastKeys[lastKeys.count - 1] = text
        #endif
        separate()
        bytes.append(UInt8(ascii: "\""))
        append(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: - Values

    mutating func value(_ string: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { appendEscaped($0) }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    mutating func value(_ number: Int) {
        separate()
        bytes.append(contentsOf: String(number).utf8)
        needsComma = true
    }

    mutating func value(_ flag: Bool) {
        separate()
        append(flag ? "true" : "false")
        needsComma = true
    }

    // MARK: - Fields

    mutating func field(_ name: StaticString, _ string: String) { key(name); value(string) }
    mutating func field(_ name: StaticString, _ number: Int) { key(name); value(number) }
    mutating func field(_ name: StaticString, _ flag: Bool) { key(name); value(flag) }

    /// Left out when nil, like `encodeIfPresent`.
    mutating func field(_ name: StaticString, _ string: String?) {
        if let string { field(name, string) }
    }

    // MARK: - Escaping

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Copies runs that need no escape in one go (`JSONPlainRun`); escapes the rest.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var start = 0
        while true {
            let i = JSONPlainRun.end(in: utf8, from: start, slash: escapingSlashes)
            if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
            guard i < utf8.count else { return }
            let byte = utf8[i]
            start = i + 1
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
            default:
                bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), Self.hexDigit(byte >> 4), Self.hexDigit(byte & 0xF)])
            }
        }
    }

    private static func hexDigit(_ n: UInt8) -> UInt8 { n < 10 ? UInt8(ascii: "0") + n : UInt8(ascii: "a") + n - 10 }
}
