import Foundation
import LembraCore

extension ConfigBuilder {
    /// `payment_link: { kind: url, template, signing_secret_file, expires_in }` or
    /// `{ kind: pix, key, merchant_name, merchant_city }`.
    func paymentLink(_ c: YAMLCursor) -> PaymentLinkConfig? {
        guard let m = c.mapping(allowed: ["kind", "template", "signing_secret_file", "expires_in", "key", "merchant_name", "merchant_city"]) else { return nil }
        let v = Dictionary(m.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        switch v["kind"]?.string() {
        case "url": return urlLink(c, v)
        case "pix": return pixLink(c, v)
        case let k?: v["kind"]?.fail("unknown kind '\(k)'; use url or pix"); return nil
        case nil: c.fail("kind: required (url or pix)"); return nil
        }
    }

    private func urlLink(_ c: YAMLCursor, _ v: [String: YAMLCursor]) -> PaymentLinkConfig? {
        guard let t = v["template"]?.string() else { c.fail("template: required, a URL like https://pay.example/d/{{debt.id}}"); return nil }
        let template: SignedLink.Template
        do throws(SignedLinkError) { template = try SignedLink.Template(t) } catch {
            v["template"]?.fail(error.message); return nil
        }
        let key = v["signing_secret_file"].flatMap { self.secret($0) }.map { Data($0.utf8) }
        if v["signing_secret_file"] == nil {
            c.warn("links are not signed: set signing_secret_file so a link can't be altered to another debt or amount")
        }
        let expiresIn = v["expires_in"]?.positiveDuration(atMost: ConfigLimits.linkExpiry) ?? 30 * 86_400
        return .url(template: template, secret: key, expiresIn: expiresIn)
    }

    private func pixLink(_ c: YAMLCursor, _ v: [String: YAMLCursor]) -> PaymentLinkConfig? {
        guard let key = v["key"]?.string(), let name = v["merchant_name"]?.string(), let city = v["merchant_city"]?.string() else {
            c.fail("kind: pix needs key, merchant_name and merchant_city"); return nil
        }
        do throws(PixError) {
            return .pix(try PixMerchant(key: key, name: name, city: city))
        } catch {
            (v[error.field] ?? v["key"] ?? c).fail(error.message)
            return nil
        }
    }
}
