import Foundation
@testable import LembraCore
import Testing
import TestSupport

/// `SignedLink.Template` checks and splits a template once and then builds links on bytes. These
/// tests hold it to the algorithm it replaced (`OldSignedLink` below, which re-parsed the template
/// for every debt and made the base64url with Foundation): over generated templates, debts, amounts,
/// due dates, expiries and signatures, every link, filled template, signed message and error is the same.
@Suite struct SignedLinkOracleTests {
    /// Path, query and fragment pieces, including the characters an id or a template can bring that
    /// matter to a URL (`? & # % =`), non-ASCII text, combining marks and a prepended character next
    /// to `?`, `&` and `#`, and pieces that make a template invalid (spaces, `exp`, unknown names).
    static let pathPieces = ["d", "p", "pagar", "ç", "e\u{301}", "%7E", "a;b", "~u", "", "{{debt.id}}", "{{ debt.amount_cents }}",
                             "{{debt.due_date}}", "{{debt.id }}", "v1", "😀", "\u{600}", "a\u{200D}b"]
    static let queryPieces = ["d={{debt.id}}", "v={{debt.amount_cents}}", "due={{ debt.due_date }}", "x=1", "flag", "a=b=c", "",
                              "expires=2", "q=?", "?", "&", "e\u{301}=1", "\u{600}?", "?\u{301}", "&\u{301}", "exp=1", "sig", "x=a b",
                              "{{debt.name}}", "y={{debt.id}}{{debt.amount_cents}}", "z=%20"]
    static let fragmentPieces = ["pagar", "", "{{debt.id}}", "a#b", "x?y&", "ç", "\u{301}", "{{ debt.due_date }}", "?", "}}", "{{"]

    static func template(_ rng: inout SeededGenerator) -> String {
        let schemes = ["https://", "http://", "HTTPS://", "HtTp://", "ftp://", ""]
        let hosts = ["pay.example", "localhost:8080", "pagar.oficina-exemplo.com.br", "pagar.ção.br", "h"]
        var t = schemes[Int.random(in: 0..<schemes.count, using: &rng) % (Int.random(in: 0..<8, using: &rng) == 0 ? 6 : 4)]
        t += hosts.randomElement(using: &rng)!
        for _ in 0..<Int.random(in: 0...3, using: &rng) { t += "/" + pathPieces.randomElement(using: &rng)! }
        if Bool.random(using: &rng) { t += "/{{debt.id}}" }
        if Int.random(in: 0..<3, using: &rng) > 0 {
            t += "?" + (0..<Int.random(in: 0...3, using: &rng)).map { _ in queryPieces.randomElement(using: &rng)! }.joined(separator: "&")
            if Bool.random(using: &rng) { t += ["?", "&", "&&", "=", "\u{301}"].randomElement(using: &rng)! }
        }
        if Int.random(in: 0..<3, using: &rng) == 0 {
            t += ["#", "#\u{301}", "\u{600}#"].randomElement(using: &rng)!
                + (0..<Int.random(in: 0...2, using: &rng)).map { _ in fragmentPieces.randomElement(using: &rng)! }.joined()
        }
        return t
    }

    static let idPieces = ["D", "1", "deb", "-", "_", ".", "~", " ", "/", "?", "#", "&", "=", "%", "|", "+", "é", "e\u{301}", "ç",
                           "🇧🇷", "\u{0}", "\u{600}", "\u{301}", "{{", "}}", "%20", "\r\n", "ß"]

    static func debt(_ rng: inout SeededGenerator) -> Debt {
        let id = Int.random(in: 0..<20, using: &rng) == 0 ? ""
            : (0..<Int.random(in: 1...24, using: &rng)).map { _ in idPieces.randomElement(using: &rng)! }.joined()
        let cents: Int64 = switch Int.random(in: 0..<6, using: &rng) {
        case 0: [0, 1, -1, 999_999_999_999, .max, .min].randomElement(using: &rng)!
        case 1: Int64.random(in: .min ... .max, using: &rng)
        default: Int64.random(in: 1...10_000_000, using: &rng)
        }
        let due = Int.random(in: 0..<8, using: &rng) == 0 ? CalendarDate(dayNumber: Int.random(in: -1_000_000...3_000_000, using: &rng))
            : CalendarDate(dayNumber: Int.random(in: -25_567...2_932_896, using: &rng))  // 1900...9999
        return Debt(id: id, customerID: "C1", amount: Money(cents: cents), dueDate: due)
    }

    static func expiry(_ rng: inout SeededGenerator) -> Date {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: Date(timeIntervalSince1970: Double(Int.random(in: -10_000_000_000...10_000_000_000, using: &rng)))
        case 1: Date(timeIntervalSince1970: Double.random(in: -1e10...1e10, using: &rng))
        default: Date(timeIntervalSince1970: Double.random(in: 1.7e9...2.1e9, using: &rng))
        }
    }

    /// A stand-in MAC of any length from 0 to 70 bytes (every base64 remainder), a function of the
    /// message so both paths must sign the same bytes to print the same `sig`.
    static func sign(_ message: Data) -> Data {
        var rng = SeededGenerator(seed: message.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 })
        return Data((0..<Int.random(in: 0...70, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }

    static func outcome<T: Equatable>(_ body: () throws(SignedLinkError) -> T) -> Result<T, SignedLinkError> {
        do throws(SignedLinkError) { return .success(try body()) } catch { return .failure(error) }
    }

    @Test func linksAreTheOldAlgorithmsByteForByte() throws {
        var rng = SeededGenerator(seed: 0x5167_4E4C_494E_4B53)
        var valid = 0, links = 0, verified = 0
        let fixed = ["https://pay.example/d/{{debt.id}}", "https://pagar.oficina-exemplo.com.br/d/{{debt.id}}",
                     "https://pay.example/p?d={{ debt.id }}&v={{debt.amount_cents}}&due={{debt.due_date}}#pagar",
                     "HTTP://localhost:8080/pay?debt={{debt.id}}&amount={{debt.amount_cents}}&x=expires",
                     "https://pay.example/p?{{debt.id}}", "https://pay.example/p?x={{debt.id}}&", "https://pay.example/{{debt.id}}#a?b#c"]
        for round in 0..<1_500 {
            let template = round < fixed.count ? fixed[round] : Self.template(&rng)
            let checked = Self.outcome { () throws(SignedLinkError) in try OldSignedLink.validate(template: template); return true }
            let prepared = Self.outcome { () throws(SignedLinkError) in try SignedLink.Template(template) }
            #expect(prepared.map { _ in true } == checked, "\(template)")
            if case .success = prepared { valid += 1 }
            for _ in 0..<6 {
                let debt = Self.debt(&rng), expiresAt = Self.expiry(&rng)
                let exp = Int64(expiresAt.timeIntervalSince1970.rounded(.down))
                #expect(SignedLink.message(debt: debt, exp: exp) == OldSignedLink.message(debt: debt, exp: exp))
                let old = Self.outcome { () throws(SignedLinkError) in
                    try OldSignedLink.make(template: template, debt: debt, expiresAt: expiresAt, sign: Self.sign)
                }
                #expect(prepared.map { $0.make(debt: debt, expiresAt: expiresAt, sign: Self.sign) } == old, "\(template) \(debt.id)")
                guard case .success(let link) = prepared, case .success(let url) = old else { continue }
                links += 1
                #expect(link.fill(debt: debt) == (try? OldSignedLink.fill(template: template, debt: debt)))
                let now = Bool.random(using: &rng) ? Date(timeIntervalSince1970: Double(exp) - 1) : expiresAt
                let tampered = Bool.random(using: &rng) ? url : url.replacingOccurrences(of: "exp=", with: "exp=1")
                let verdict = Self.outcome { () throws(SignedLinkError) in
                    try link.verify(url: tampered, debt: debt, sign: Self.sign, now: now); return true
                }
                #expect(verdict == Self.outcome { () throws(SignedLinkError) in
                    try OldSignedLink.verify(url: tampered, template: template, debt: debt, sign: Self.sign, now: now); return true
                })
                if case .success = verdict { verified += 1 }
            }
        }
        // The generator reaches the interesting cases: valid templates, links, links that verify.
        #expect(valid > 300 && links > 2_000 && verified > 200, "valid=\(valid) links=\(links) verified=\(verified)")
    }

    @Test func percentEncodingIsTheOldOne() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            let id = (0..<Int.random(in: 0...12, using: &rng)).map { _ in Self.idPieces.randomElement(using: &rng)! }.joined()
            #expect(SignedLink.percentEncoded(id) == OldSignedLink.percentEncoded(id))
        }
        let every = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self) + "é€😀"
        #expect(SignedLink.percentEncoded(every) == OldSignedLink.percentEncoded(every))
    }

    @Test func base64URLIsTheOldOne() {
        var rng = SeededGenerator(seed: 11)
        for count in 0..<300 {
            let data = Data((0..<count % 100).map { _ in UInt8.random(in: 0...255, using: &rng) })
            #expect(SignedLink.base64url(data) == OldSignedLink.base64url(data))
        }
        #expect(SignedLink.base64url(Data([0xFB, 0xFF, 0xBF])) == "-_-_")
    }
}

/// The algorithm `SignedLink` had before it prepared templates, kept verbatim as the oracle.
private enum OldSignedLink {
    static let placeholders = ["debt.id", "debt.amount_cents", "debt.due_date"]

    static func validate(template: String) throws(SignedLinkError) {
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

    static func make(template: String, debt: Debt, expiresAt: Date, sign: (Data) -> Data) throws(SignedLinkError) -> String {
        try validate(template: template)
        return try link(template: template, debt: debt, exp: unixSeconds(expiresAt), sign: sign)
    }

    static func verify(url: String, template: String, debt: Debt, sign: (Data) -> Data, now: Date) throws(SignedLinkError) {
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

    static func message(debt: Debt, exp: Int64) -> Data {
        Data("\(debt.id)|\(debt.amount.cents)|\(debt.dueDate.iso)|\(exp)".utf8)
    }

    enum Piece { case text(Substring), placeholder(String) }

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

    static func fill(template: String, debt: Debt) throws(SignedLinkError) -> String {
        try parse(template).map { piece -> String in
            switch piece {
            case .text(let text): return String(text)
            case .placeholder("debt.id"): return percentEncoded(debt.id)
            case .placeholder("debt.amount_cents"): return percentEncoded(String(debt.amount.cents))
            case .placeholder: return percentEncoded(debt.dueDate.iso)
            }
        }.joined()
    }

    static func link(template: String, debt: Debt, exp: Int64, sign: (Data) -> Data) throws(SignedLinkError) -> String {
        let filled = try fill(template: template, debt: debt)
        let parts = filled.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let base = parts[0]
        let separator = !base.contains("?") ? "?" : base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&"
        let sig = base64url(sign(message(debt: debt, exp: exp)))
        let fragment = parts.count == 2 ? "#" + parts[1] : ""
        return "\(base)\(separator)exp=\(exp)&sig=\(sig)\(fragment)"
    }

    static func queryItems(_ url: String) -> [(name: Substring, value: Substring?)] {
        let beforeFragment = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let query = beforeFragment.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first ?? ""
        return query.split(separator: "&").map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (parts[0], parts.count == 2 ? parts[1] : nil)
        }
    }

    static func percentEncoded(_ value: String) -> String {
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

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func unixSeconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
