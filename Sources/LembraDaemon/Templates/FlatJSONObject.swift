import Foundation

/// Reads a JSON object whose values are all strings or null (the stored e-mail, `RenderedEmail`),
/// without Foundation's JSONDecoder, which cost about 8 µs for every e-mail sent (a value tree,
/// a container per level, dynamic dispatch per key).
///
/// Reads any such object JSONDecoder reads: whitespace between tokens, keys in any order, every
/// escape (`\/` from payloads JSONEncoder wrote, `\u` pairs). Anything else (a number, a nested
/// value, a key twice, a lone surrogate, bytes that are not UTF-8, malformed JSON) is nil, for
/// the caller to hand to JSONDecoder, which then decides as it always did.
enum FlatJSONObject {
    /// The object's keys and values (nil for null), or nil when `data` is not such an object.
    static func parse(_ data: Data) -> [String: String?]? {
        data.withUnsafeBytes { raw in
            var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
            return reader.object()
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        mutating func object() -> [String: String?]? {
            guard take(UInt8(ascii: "{")) else { return nil }
            var fields = [String: String?](minimumCapacity: 8)
            if take(UInt8(ascii: "}")) { return atEnd() ? fields : nil }
            repeat {
                guard let key = string(), take(UInt8(ascii: ":")), fields[key] == nil else { return nil }
                if takeNull() {
                    fields[key] = .some(nil)
                } else {
                    guard let value = string() else { return nil }
                    fields[key] = value
                }
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "}")) && atEnd() ? fields : nil
        }

        /// Skips whitespace, then takes `byte` if it is next.
        mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        mutating func takeNull() -> Bool {
            skipSpace()
            guard bytes.count - at >= 4, bytes[at] == UInt8(ascii: "n"), bytes[at + 1] == UInt8(ascii: "u"),
                  bytes[at + 2] == UInt8(ascii: "l"), bytes[at + 3] == UInt8(ascii: "l") else { return false }
            at += 4
            return true
        }

        mutating func atEnd() -> Bool {
            skipSpace()
            return at == bytes.count
        }

        mutating func skipSpace() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
        }

        /// A string, its escapes resolved; nil if malformed, with a control character inside, or
        /// not UTF-8. One without escapes (a key, an address, most Subjects) is made straight
        /// from its bytes; one with escapes (a body's line breaks) is gathered a run at a time.
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            var out: [UInt8] = [] // once an escape is met
            var escaped = false
            var run = at
            while true {
                at = JSONPlainRun.end(in: bytes, from: at)
                guard at < bytes.count else { return nil }
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") {
                    let tail = UnsafeBufferPointer(rebasing: bytes[run..<at])
                    at += 1
                    guard escaped else { return Self.utf8String(tail) }
                    out.append(contentsOf: tail)
                    return out.withUnsafeBufferPointer(Self.utf8String)
                }
                if byte < 0x20 { return nil }
                if !escaped { escaped = true; out.reserveCapacity(bytes.count - run) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<at]))
                guard escape(into: &out) else { return nil }
                run = at
            }
        }

        /// `bytes` as a String, or nil if they are not UTF-8. Decoding repairs what is not
        /// UTF-8, so a string whose bytes differ from `bytes` was not; the standard library's
        /// validating initializer, generic over any sequence, cost three times as much.
        static func utf8String(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
            let string = String(decoding: bytes, as: UTF8.self)
            let same = string.utf8.withContiguousStorageIfAvailable { stored in
                stored.count == bytes.count && (bytes.isEmpty || memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
            } ?? string.utf8.elementsEqual(bytes)
            return same ? string : nil
        }

        /// The escape at `at` (its backslash), appended as UTF-8.
        mutating func escape(into out: inout [UInt8]) -> Bool {
            guard at + 1 < bytes.count else { return false }
            let kind = bytes[at + 1]
            at += 2
            switch kind {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(kind)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var value = hex4() else { return false }
                if (0xD800...0xDBFF).contains(value) {
                    guard bytes.count - at >= 2, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else { return false }
                    at += 2
                    guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return false }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(value) {
                    return false
                }
                guard let scalar = Unicode.Scalar(value) else { return false }
                UTF8.encode(scalar) { out.append($0) }
            default: return false
            }
            return true
        }

        /// Four hex digits at `at`.
        mutating func hex4() -> UInt32? {
            guard bytes.count - at >= 4 else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[at]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
                at += 1
            }
            return value
        }
    }
}
