import Foundation

extension SignedLink {
    /// A link template checked and split once, then filled in for many debts.
    ///
    /// Checking and splitting a template (`{{ }}`, query, fragment) costs more than making the
    /// link itself, and a config has one template for every message. So the parts are worked out
    /// here once, when the config is loaded: the literal text as UTF-8, where each placeholder
    /// goes, whether the part before any `#fragment` already has a query, and whether its text
    /// ends in `?` or `&`. Making a link then only appends bytes.
    ///
    /// The links are byte for byte those the template text describes (see `SignedLink`): the
    /// substituted values are percent-encoded, so they never hold `#`, `?` or `&`, and where the
    /// fragment starts, whether there is a query and how it ends follow from the literal text.
    public struct Template: Sendable, Equatable {
        /// The template as configured.
        public let text: String

        /// Literal UTF-8, or the place of a value (percent-encoded when filled in).
        enum Part: Sendable, Equatable {
            /// `endsQuery`: the text ends in `?` or `&`, so `exp=` follows it without a separator.
            case text([UInt8], endsQuery: Bool)
            case debtID, amountCents, dueDate
        }

        /// Everything before the first `#`.
        private let base: [Part]
        /// Everything after the first `#` (without it); nil when there is none.
        private let fragment: [Part]?
        /// The literal text before the first `#` has a `?`.
        private let baseHasQuery: Bool

        /// Checks `template` and splits it: an `http(s)` URL that names `{{debt.id}}` (the payment
        /// page needs to know which debt), uses only known placeholders (`SignedLink.placeholders`),
        /// has no spaces outside them, and leaves `exp` and `sig` to us.
        public init(_ template: String) throws(SignedLinkError) {
            let lower = template.lowercased()
            guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
                throw .invalidTemplate("a payment link template is an http:// or https:// URL")
            }
            let pieces = try SignedLink.parse(template)
            var names: [String] = []
            for piece in pieces {
                switch piece {
                case .placeholder(let name): names.append(name)
                case .text(let text) where text.contains(where: \.isWhitespace):
                    throw .invalidTemplate("a payment link template has no spaces outside {{ }}")
                case .text: break
                }
            }
            guard names.contains("debt.id") else { throw .invalidTemplate("a payment link template needs {{debt.id}}") }
            for item in SignedLink.queryItems(template) where item.name == "exp" || item.name == "sig" {
                throw .invalidTemplate("exp and sig are added by Lembra; remove them from the template")
            }
            self.init(template, pieces)
        }

        private init(_ template: String, _ pieces: [SignedLink.Piece]) {
            text = template
            var base: [Part] = []
            var fragment: [Part]?
            var baseHasQuery = false
            func literal(_ text: Substring) -> Part {
                .text(Array(text.utf8), endsQuery: text.hasSuffix("?") || text.hasSuffix("&"))
            }
            for piece in pieces {
                switch piece {
                case .placeholder(let name):
                    let part: Part = name == "debt.id" ? .debtID : name == "debt.amount_cents" ? .amountCents : .dueDate
                    if fragment != nil { fragment!.append(part) } else { base.append(part) }
                case .text(let text) where fragment != nil:
                    fragment!.append(literal(text))
                case .text(let substring):
                    // A fresh String, as in the filled-in link the text starts after an ASCII value.
                    let text = String(substring)
                    let halves = text.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                    baseHasQuery = baseHasQuery || halves[0].contains("?")
                    base.append(literal(halves[0]))
                    if halves.count == 2 { fragment = [literal(halves[1])] }
                }
            }
            self.base = base; self.fragment = fragment; self.baseHasQuery = baseHasQuery
        }

        /// The template filled in for `debt`, unsigned (for a business that has no signing secret).
        public func fill(debt: Debt) -> String {
            var out: [UInt8] = []
            let dueDate = debt.dueDate.iso
            out.reserveCapacity(text.utf8.count + debt.id.utf8.count * 3)
            _ = Self.append(base, debt: debt, dueDate: dueDate, to: &out)
            if let fragment {
                out.append(UInt8(ascii: "#"))
                _ = Self.append(fragment, debt: debt, dueDate: dueDate, to: &out)
            }
            return String(decoding: out, as: UTF8.self)
        }

        /// The signed link for `debt`, valid until `expiresAt` (whole seconds, rounded down).
        public func make(debt: Debt, expiresAt: Date, sign: (Data) -> Data) -> String {
            link(debt: debt, exp: SignedLink.unixSeconds(expiresAt), sign: sign)
        }

        /// Checks a link made by `make` for `debt` as the payment page looks it up (by the id in the
        /// URL). Throws `invalid_signature` when anything differs from what this secret makes for this
        /// debt — path, any substituted value, `exp`, `sig` — and `expired` once `now` reaches `exp`.
        /// The URL must arrive as sent (query order kept). The comparison runs in constant time.
        public func verify(url: String, debt: Debt, sign: (Data) -> Data, now: Date) throws(SignedLinkError) {
            let items = SignedLink.queryItems(url)
            let exps = items.filter { $0.name == "exp" }.map(\.value)
            guard exps.count == 1, items.filter({ $0.name == "sig" }).count == 1, let text = exps[0],
                  text.count <= 18, text.allSatisfy({ $0.isASCII && $0.isNumber }), let exp = Int64(text)
            else { throw .malformed }
            let expected = link(debt: debt, exp: exp, sign: sign)
            guard SignedLink.constantTimeEqual(Array(url.utf8), Array(expected.utf8)) else { throw .invalidSignature }
            guard SignedLink.unixSeconds(now) < exp else { throw .expired }
        }

        /// The template filled in for `debt`, with `exp` and `sig` added to the query, before any `#fragment`.
        func link(debt: Debt, exp: Int64, sign: (Data) -> Data) -> String {
            let dueDate = debt.dueDate.iso
            var out: [UInt8] = []
            out.reserveCapacity(text.utf8.count + debt.id.utf8.count * 3 + 80)
            let endsQuery = Self.append(base, debt: debt, dueDate: dueDate, to: &out)
            if !baseHasQuery {
                out.append(UInt8(ascii: "?"))
            } else if !endsQuery {
                out.append(UInt8(ascii: "&"))
            }
            out.append(contentsOf: "exp=".utf8)
            out.append(contentsOf: String(exp).utf8)
            out.append(contentsOf: "&sig=".utf8)
            SignedLink.appendBase64URL(sign(SignedLink.message(debt: debt, dueDate: dueDate, exp: exp)), to: &out)
            if let fragment {
                out.append(UInt8(ascii: "#"))
                _ = Self.append(fragment, debt: debt, dueDate: dueDate, to: &out)
            }
            return String(decoding: out, as: UTF8.self)
        }

        /// Appends `parts` filled in for `debt`; returns whether what they wrote ends in `?` or `&`
        /// (a value never does: it is percent-encoded; an empty one leaves the answer to the text before it).
        private static func append(_ parts: [Part], debt: Debt, dueDate: String, to out: inout [UInt8]) -> Bool {
            var endsQuery = false
            for part in parts {
                let start = out.count
                switch part {
                case .text(let bytes, let ends):
                    out.append(contentsOf: bytes)
                    if !bytes.isEmpty { endsQuery = ends }
                    continue
                case .debtID: SignedLink.appendPercentEncoded(debt.id, to: &out)
                case .amountCents: SignedLink.appendPercentEncoded(String(debt.amount.cents), to: &out)
                case .dueDate: SignedLink.appendPercentEncoded(dueDate, to: &out)
                }
                if out.count > start { endsQuery = false }
            }
            return endsQuery
        }
    }
}
