import Foundation

/// Payment URLs that can't be redirected to another debt or amount, and that expire.
///
/// A template such as `https://pay.example/d/{{debt.id}}` (also `{{debt.amount_cents}}`,
/// `{{debt.due_date}}`) is filled in with percent-encoded values, then `exp=<unix seconds>` and
/// `sig=<base64url HMAC-SHA256>` are appended to its query. The signature covers
/// `debt_id|amount_cents|due_date|exp` (UTF-8; the id is the raw id, not its encoded form). The
/// message is unambiguous although an id may contain `|`: the last three parts are an integer, a
/// `YYYY-MM-DD` date and an integer, so parsing from the right recovers the id.
///
/// LembraCore doesn't import Crypto, so the MAC is a parameter: the daemon passes a closure over
/// swift-crypto's `HMAC<SHA256>` keyed with `signing_secret_file`; tests pass their own.
///
/// A template is checked and split once, into a `Template` (the config holds one), which then
/// makes and verifies the links: the per-debt work is only the filling in, the MAC and the base64url.
public enum SignedLink {
    /// The names a template may use between `{{ }}`.
    public static let placeholders = ["debt.id", "debt.amount_cents", "debt.due_date"]

    /// The bytes that are signed: `debt_id|amount_cents|due_date|exp` in UTF-8.
    public static func message(debt: Debt, exp: Int64) -> Data {
        message(debt: debt, dueDate: debt.dueDate.iso, exp: exp)
    }

    /// `message(debt:exp:)` with the due date already written as `YYYY-MM-DD` (a link uses it twice).
    static func message(debt: Debt, dueDate: String, exp: Int64) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(debt.id.utf8.count + dueDate.utf8.count + 44)
        bytes.append(contentsOf: debt.id.utf8)
        bytes.append(UInt8(ascii: "|"))
        bytes.append(contentsOf: String(debt.amount.cents).utf8)
        bytes.append(UInt8(ascii: "|"))
        bytes.append(contentsOf: dueDate.utf8)
        bytes.append(UInt8(ascii: "|"))
        bytes.append(contentsOf: String(exp).utf8)
        return Data(bytes)
    }

    // MARK: - Pieces

    enum Piece { case text(Substring), placeholder(String) }

    /// Splits a template into text and `{{ name }}` placeholders (spaces inside the braces allowed).
    static func parse(_ template: String) throws(SignedLinkError) -> [Piece] {
        var pieces: [Piece] = []
        var rest = template[...]
        while let open = rest.range(of: "{{") {
            pieces.append(.text(rest[..<open.lowerBound]))
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw .invalidTemplate("a {{ in the payment link template is never closed")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard placeholders.contains(name) else {
                throw .invalidTemplate("unknown placeholder {{\(name)}}; known: \(placeholders.map { "{{\($0)}}" }.joined(separator: ", "))")
            }
            pieces.append(.placeholder(name))
            rest = rest[close.upperBound...]
        }
        guard !rest.contains("}}") else { throw .invalidTemplate("a }} in the payment link template has no {{") }
        pieces.append(.text(rest))
        return pieces
    }

    /// The `name=value` items of a URL's query, before any `#fragment`; `value` is nil without `=`.
    static func queryItems(_ url: String) -> [(name: Substring, value: Substring?)] {
        let beforeFragment = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let query = beforeFragment.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first ?? ""
        return query.split(separator: "&").map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (parts[0], parts.count == 2 ? parts[1] : nil)
        }
    }

    /// Everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) as `%XX` of its UTF-8,
    /// so an id with `/`, `?`, `#`, `&` or spaces can't change the shape of the URL.
    public static func percentEncoded(_ value: String) -> String {
        var out: [UInt8] = []
        appendPercentEncoded(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `percentEncoded`, written straight into `out`.
    static func appendPercentEncoded(_ value: String, to out: inout [UInt8]) {
        let hex: StaticString = "0123456789ABCDEF"
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex.utf8Start[Int(byte >> 4)])
                out.append(hex.utf8Start[Int(byte & 0x0F)])
            }
        }
    }

    /// Base64 with the URL alphabet (`-`, `_`) and no `=` padding (RFC 4648 §5), safe in a query.
    static func base64url(_ data: Data) -> String {
        var out: [UInt8] = []
        appendBase64URL(data, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `base64url`, written straight into `out`: 4 characters for every 3 bytes, 2 or 3 for a
    /// last group of 1 or 2 bytes (where standard base64 would pad with `=`).
    static func appendBase64URL(_ data: Data, to out: inout [UInt8]) {
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        let symbol = alphabet.utf8Start
        out.reserveCapacity(out.count + (data.count * 4 + 2) / 3)
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var i = 0
            while i + 3 <= bytes.count {
                let group = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                out.append(symbol[Int(group >> 18 & 63)])
                out.append(symbol[Int(group >> 12 & 63)])
                out.append(symbol[Int(group >> 6 & 63)])
                out.append(symbol[Int(group & 63)])
                i += 3
            }
            switch bytes.count - i {
            case 1:
                let group = UInt32(bytes[i]) << 16
                out.append(symbol[Int(group >> 18 & 63)])
                out.append(symbol[Int(group >> 12 & 63)])
            case 2:
                let group = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
                out.append(symbol[Int(group >> 18 & 63)])
                out.append(symbol[Int(group >> 12 & 63)])
                out.append(symbol[Int(group >> 6 & 63)])
            default: break
            }
        }
    }

    static func unixSeconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    /// Compares without stopping at the first difference, so response time doesn't reveal how much
    /// of a forged signature was right. Lengths are public (the signature's length is fixed).
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
