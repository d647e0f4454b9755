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
public enum SignedLink {
    /// The names a template may use between `{{ }}`.
    public static let placeholders = ["debt.id", "debt.amount_cents", "debt.due_date"]

    /// Checks a template once, at config load: an `http(s)` URL that names `{{debt.id}}` (the payment
    /// page needs to know which debt), uses only known placeholders, and leaves `exp` and `sig` to us.
    public static func validate(template: String) throws(SignedLinkError) {
        let lower = template.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
            throw .invalidTemplate("a payment link template is an http:// or https:// URL")
        }
        var names: [String] = []
        for piece in try parse(template) {
            switch piece {
            case .placeholder(let name): names.append(name)
            case .text(let text) where text.contains(where: \.isWhitespace):
                throw .invalidTemplate("a payment link template has no spaces outside {{ }}")
            case .text: break
            }
        }
        guard names.contains("debt.id") else { throw .invalidTemplate("a payment link template needs {{debt.id}}") }
        for item in queryItems(template) where item.name == "exp" || item.name == "sig" {
            throw .invalidTemplate("exp and sig are added by Lembra; remove them from the template")
        }
    }

    /// The signed link for `debt`, valid until `expiresAt` (whole seconds, rounded down).
    public static func make(template: String, debt: Debt, expiresAt: Date, sign: (Data) -> Data) throws(SignedLinkError) -> String {
        try validate(template: template)
        return try link(template: template, debt: debt, exp: unixSeconds(expiresAt), sign: sign)
    }

    /// Checks a link made by `make` for `debt` as the payment page looks it up (by the id in the
    /// URL). Throws `invalid_signature` when anything differs from what this secret makes for this
    /// debt — path, any substituted value, `exp`, `sig` — and `expired` once `now` reaches `exp`.
    /// The URL must arrive as sent (query order kept). The comparison runs in constant time.
    public static func verify(url: String, template: String, debt: Debt, sign: (Data) -> Data, now: Date) throws(SignedLinkError) {
        try validate(template: template)
        let items = queryItems(url)
        let exps = items.filter { $0.name == "exp" }.map(\.value)
        guard exps.count == 1, items.filter({ $0.name == "sig" }).count == 1, let text = exps[0],
              text.count <= 18, text.allSatisfy({ $0.isASCII && $0.isNumber }), let exp = Int64(text)
        else { throw .malformed }
        let expected = try link(template: template, debt: debt, exp: exp, sign: sign)
        guard constantTimeEqual(Array(url.utf8), Array(expected.utf8)) else { throw .invalidSignature }
        guard unixSeconds(now) < exp else { throw .expired }
    }

    /// The bytes that are signed: `debt_id|amount_cents|due_date|exp` in UTF-8.
    public static func message(debt: Debt, exp: Int64) -> Data {
        Data("\(debt.id)|\(debt.amount.cents)|\(debt.dueDate.iso)|\(exp)".utf8)
    }

    // MARK: - Pieces

    private enum Piece { case text(Substring), placeholder(String) }

    /// Splits a template into text and `{{ name }}` placeholders (spaces inside the braces allowed).
    private static func parse(_ template: String) throws(SignedLinkError) -> [Piece] {
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

    /// The template filled in for `debt`, unsigned (for a business that has no signing secret).
    public static func fill(template: String, debt: Debt) throws(SignedLinkError) -> String {
        try parse(template).map { piece -> String in
            switch piece {
            case .text(let text): return String(text)
            case .placeholder("debt.id"): return percentEncoded(debt.id)
            case .placeholder("debt.amount_cents"): return percentEncoded(String(debt.amount.cents))
            case .placeholder: return percentEncoded(debt.dueDate.iso) // "debt.due_date", the only name left
            }
        }.joined()
    }

    /// The template filled in for `debt`, with `exp` and `sig` added to the query, before any `#fragment`.
    private static func link(template: String, debt: Debt, exp: Int64, sign: (Data) -> Data) throws(SignedLinkError) -> String {
        let filled = try fill(template: template, debt: debt)
        let parts = filled.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let base = parts[0]
        let separator = !base.contains("?") ? "?" : base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&"
        let sig = base64url(sign(message(debt: debt, exp: exp)))
        let fragment = parts.count == 2 ? "#" + parts[1] : ""
        return "\(base)\(separator)exp=\(exp)&sig=\(sig)\(fragment)"
    }

    /// The `name=value` items of a URL's query, before any `#fragment`; `value` is nil without `=`.
    private static func queryItems(_ url: String) -> [(name: Substring, value: Substring?)] {
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
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (byte < 16 ? "0" : "") + hex
            }
        }
        return out
    }

    /// Base64 with the URL alphabet (`-`, `_`) and no `=` padding (RFC 4648 §5), safe in a query.
    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func unixSeconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    /// Compares without stopping at the first difference, so response time doesn't reveal how much
    /// of a forged signature was right. Lengths are public (the signature's length is fixed).
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
