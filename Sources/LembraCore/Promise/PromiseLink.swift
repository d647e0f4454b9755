import Foundation

/// A signed link to the payment promise page: which debt (its id and due date, so a renegotiated
/// debt's old links stop working), the ladder step of the message that carried it (a promise can
/// be made once per step), and when it expires.
///
/// The query is `d=<debt id>&due=<YYYY-MM-DD>&step=<step id>&exp=<unix seconds>&sig=<base64url>`,
/// values percent-encoded, and `sig` is the HMAC-SHA256 of `exp|due|step|debt id` in UTF-8. The
/// message is unambiguous although ids may contain `|`: `exp` is an integer, `due` a fixed-width
/// date, and the step id cannot contain `|` (config ids are names), so what follows is the debt id.
/// As in `SignedLink`, the MAC is a parameter: LembraCore does no cryptography of its own.
public struct PromiseLink: Sendable, Equatable {
    public var debtID: String
    public var dueDate: CalendarDate
    public var stepID: String
    /// Unix seconds; the link is refused from this instant on.
    public var exp: Int64

    public init(debtID: String, dueDate: CalendarDate, stepID: String, expiresAt: Date) {
        self.init(debtID: debtID, dueDate: dueDate, stepID: stepID, exp: SignedLink.unixSeconds(expiresAt))
    }

    init(debtID: String, dueDate: CalendarDate, stepID: String, exp: Int64) {
        self.debtID = debtID; self.dueDate = dueDate; self.stepID = stepID; self.exp = exp
    }

    /// The bytes that are signed: `exp|due|step|debt id`.
    var message: Data { Data("\(exp)|\(dueDate.iso)|\(stepID)|\(debtID)".utf8) }

    /// `d=…&due=…&step=…&exp=…&sig=…`, to append to `<public_url>/promise?`.
    public func query(sign: (Data) -> Data) -> String {
        var out: [UInt8] = []
        for (name, value) in [("d", debtID), ("due", dueDate.iso), ("step", stepID), ("exp", String(exp))] {
            out.append(contentsOf: "\(name)=".utf8)
            SignedLink.appendPercentEncoded(value, to: &out)
            out.append(UInt8(ascii: "&"))
        }
        out.append(contentsOf: "sig=".utf8)
        SignedLink.appendBase64URL(sign(message), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The link named by decoded form or query fields (`d`, `due`, `step`, `exp`, `sig`), once its
    /// signature is checked (in constant time): `malformed` when a field is missing or not of its
    /// shape, `invalid_signature` when anything differs from what this key signs, `expired` once
    /// `now` reaches `exp`.
    public static func verify(_ fields: [String: String], sign: (Data) -> Data, now: Date) throws(SignedLinkError) -> PromiseLink {
        guard let debtID = fields["d"], !debtID.isEmpty, let due = fields["due"].flatMap(CalendarDate.init(iso:)),
              let stepID = fields["step"], !stepID.isEmpty, !stepID.contains("|"),
              let expText = fields["exp"], expText.count <= 18, expText.allSatisfy({ $0.isASCII && $0.isNumber }),
              let exp = Int64(expText), let sig = fields["sig"]
        else { throw .malformed }
        let link = PromiseLink(debtID: debtID, dueDate: due, stepID: stepID, exp: exp)
        guard SignedLink.constantTimeEqual(Array(sig.utf8), Array(SignedLink.base64url(sign(link.message)).utf8)) else {
            throw .invalidSignature
        }
        guard SignedLink.unixSeconds(now) < exp else { throw .expired }
        return link
    }
}
