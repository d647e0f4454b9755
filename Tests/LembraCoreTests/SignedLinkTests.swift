import Foundation
import LembraCore
import Testing

@Suite struct SignedLinkTests {
    static let secret = Data("lembra-test-secret".utf8)
    static func sign(_ message: Data) -> Data { TestHMAC.sha256(key: secret, message: message) }
    static let exp: Int64 = 1_790_000_000
    static let expiresAt = Date(timeIntervalSince1970: Double(exp) + 0.75)  // rounded down to `exp`
    static let template = "https://pay.example/d/{{debt.id}}"

    static func debt(id: String = "D-1", cents: Int64 = 12_345, due: CalendarDate = CalendarDate(year: 2026, month: 11, day: 20)!) -> Debt {
        Debt(id: id, customerID: "C1", amount: Money(cents: cents), dueDate: due)
    }

    func link(_ template: String = template, debt: Debt = debt()) throws -> String {
        try SignedLink.Template(template).make(debt: debt, expiresAt: Self.expiresAt, sign: Self.sign)
    }

    /// The reason `verify` gives, or nil when the link verifies.
    func verdict(_ url: String, template: String = template, debt: Debt = debt(), now: Date = Date(timeIntervalSince1970: 1_789_000_000),
                 sign: (Data) -> Data = SignedLinkTests.sign) -> String? {
        do { try SignedLink.Template(template).verify(url: url, debt: debt, sign: sign, now: now); return nil } catch { return error.reason }
    }

    // MARK: - Making links

    @Test func signsDebtAmountDueDateAndExpiry() {
        #expect(String(decoding: SignedLink.message(debt: Self.debt(), exp: Self.exp), as: UTF8.self) == "D-1|12345|2026-11-20|1790000000")
    }

    /// Signatures computed independently with Python's `hmac` and `base64.urlsafe_b64encode` (padding stripped).
    @Test func makesTheExpectedLink() throws {
        #expect(try link() == "https://pay.example/d/D-1?exp=1790000000&sig=ZarhAHX9NPU-_WPWo0iM0DGd_y4NmM51cpRt8i8r_a0")
        #expect(try link(debt: Self.debt(id: "D 1/é"))
            == "https://pay.example/d/D%201%2F%C3%A9?exp=1790000000&sig=LHhz2NL1Qia08rQ-08o7AP7_Xeq47WpLKzJ_34sD9lk")
    }

    @Test func percentEncodesSubstitutedValues() throws {
        let url = try link("https://pay.example/p?d={{debt.id}}", debt: Self.debt(id: "a&exp=1#x?y"))
        #expect(url.hasPrefix("https://pay.example/p?d=a%26exp%3D1%23x%3Fy&exp=1790000000&sig="))
        #expect(verdict(url, template: "https://pay.example/p?d={{debt.id}}", debt: Self.debt(id: "a&exp=1#x?y")) == nil)
    }

    @Test func keepsTheTemplatesQueryAndFragment() throws {
        let template = "https://pay.example/p?d={{ debt.id }}&v={{debt.amount_cents}}&due={{debt.due_date}}#pagar"
        let url = try link(template)
        #expect(url.hasPrefix("https://pay.example/p?d=D-1&v=12345&due=2026-11-20&exp=1790000000&sig="))
        #expect(url.hasSuffix("#pagar"))
        #expect(verdict(url, template: template) == nil)
    }

    @Test(arguments: [
        "pay.example/d/{{debt.id}}", "ftp://pay.example/{{debt.id}}", "https://pay.example/d/", "https://pay.example/{{debt.name}}",
        "https://pay.example/{{debt.id}", "https://pay.example/{{debt.id}}}}", "https://pay.example/{{debt.id}}?exp=1",
        "https://pay.example/d?x=1&sig=abc&id={{debt.id}}", "https://pay.example/d/{{debt.id}} x",
    ])
    func refusesTemplatesThatCantMakeSafeLinks(template: String) {
        do {
            _ = try SignedLink.Template(template)
            Issue.record("accepted \(template)")
        } catch {
            #expect(error.reason == "invalid_template")
        }
    }

    @Test func acceptsTheExampleTemplates() throws {
        _ = try SignedLink.Template("https://pay.example/d/{{debt.id}}")
        _ = try SignedLink.Template("HTTP://localhost:8080/pay?debt={{debt.id}}&amount={{debt.amount_cents}}&x=expires")
    }

    // MARK: - Verifying links

    @Test func aGenuineLinkVerifiesUntilItExpires() throws {
        let url = try link()
        #expect(verdict(url) == nil)
        #expect(verdict(url, now: Date(timeIntervalSince1970: Double(Self.exp) - 0.5)) == nil)
        #expect(verdict(url, now: Date(timeIntervalSince1970: Double(Self.exp))) == "expired")
        #expect(verdict(url, now: Date(timeIntervalSince1970: Double(Self.exp) + 86_400)) == "expired")
    }

    @Test func anotherDebtIDFails() throws {
        let url = try link()
        let tampered = url.replacingOccurrences(of: "/d/D-1?", with: "/d/D-2?")
        #expect(verdict(tampered) == "invalid_signature")  // checked against the debt it was made for
        #expect(verdict(tampered, debt: Self.debt(id: "D-2")) == "invalid_signature")  // or the one it now names
    }

    @Test func anotherAmountFails() throws {
        let template = "https://pay.example/d/{{debt.id}}/{{debt.amount_cents}}"
        let url = try link(template)
        let tampered = url.replacingOccurrences(of: "/12345?", with: "/100?")
        #expect(verdict(url, template: template) == nil)
        #expect(verdict(tampered, template: template) == "invalid_signature")
        #expect(verdict(tampered, template: template, debt: Self.debt(cents: 100)) == "invalid_signature")
        // A renegotiated debt (new amount or due date) invalidates links made before.
        #expect(verdict(url, template: template, debt: Self.debt(cents: 12_000)) == "invalid_signature")
        #expect(verdict(url, template: template, debt: Self.debt(due: CalendarDate(year: 2026, month: 12, day: 20)!)) == "invalid_signature")
    }

    @Test func aLaterExpiryFails() throws {
        let url = try link()
        let tampered = url.replacingOccurrences(of: "exp=1790000000", with: "exp=1890000000")
        #expect(verdict(tampered) == "invalid_signature")
        #expect(verdict(tampered, now: Date(timeIntervalSince1970: 1_800_000_000)) == "invalid_signature")
    }

    @Test func anotherSecretOrSignatureFails() throws {
        let url = try link()
        #expect(verdict(url, sign: { TestHMAC.sha256(key: Data("other".utf8), message: $0) }) == "invalid_signature")
        let sig = url.range(of: "sig=")!.upperBound
        let flipped = url.replacingCharacters(in: sig..<url.index(after: sig), with: url[sig] == "A" ? "B" : "A")
        #expect(verdict(flipped) == "invalid_signature")
        #expect(verdict(url + "&utm_source=x") == "invalid_signature")
    }

    @Test(arguments: [
        "https://pay.example/d/D-1", "https://pay.example/d/D-1?exp=1790000000", "https://pay.example/d/D-1?sig=abc",
        "https://pay.example/d/D-1?exp=17900x0000&sig=abc", "https://pay.example/d/D-1?exp=1&exp=1790000000&sig=abc",
        "https://pay.example/d/D-1?exp=99999999999999999999&sig=abc", "https://pay.example/d/D-1?exp=&sig=abc",
    ])
    func malformedLinksFail(url: String) {
        #expect(verdict(url) == "malformed")
    }

    // MARK: - The test's own HMAC

    /// RFC 4231 test cases 1 and 2 for HMAC-SHA256, and FIPS 180-2's "abc" for SHA-256.
    @Test func theTestHMACIsRight() {
        #expect(TestHMAC.hex(TestHMAC.sha256(Data("abc".utf8)))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(TestHMAC.hex(TestHMAC.sha256(key: Data(repeating: 0x0b, count: 20), message: Data("Hi There".utf8)))
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(TestHMAC.hex(TestHMAC.sha256(key: Data("Jefe".utf8), message: Data("what do ya want for nothing?".utf8)))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let longKey = Data(repeating: 0xaa, count: 131)  // longer than a block: hashed first
        #expect(TestHMAC.hex(TestHMAC.sha256(key: longKey, message: Data("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }
}

/// SHA-256 (FIPS 180-4) and HMAC (RFC 2104), only so LembraCore's tests can sign links the way the
/// daemon does with swift-crypto, without LembraCore depending on Crypto. Not for production.
enum TestHMAC {
    static func sha256(key: Data, message: Data) -> Data {
        var k = key.count > 64 ? sha256(key) : key
        k.append(Data(repeating: 0, count: 64 - k.count))
        let inner = sha256(Data(k.map { $0 ^ 0x36 }) + message)
        return sha256(Data(k.map { $0 ^ 0x5c }) + inner)
    }

    static func sha256(_ message: Data) -> Data {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var bytes = [UInt8](message)
        let bitLength = UInt64(bytes.count) * 8
        bytes.append(0x80)
        while bytes.count % 64 != 56 { bytes.append(0) }
        bytes += (0..<8).reversed().map { UInt8(truncatingIfNeeded: bitLength >> ($0 * 8)) }
        func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
        for chunk in stride(from: 0, to: bytes.count, by: 64) {
            var w = (0..<16).map { i in (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[chunk + i * 4 + $1]) } }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ w[i - 15] >> 3
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ w[i - 2] >> 10
                w.append(w[i - 16] &+ s0 &+ w[i - 7] &+ s1)
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for i in 0..<64 {
                let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ (e & f ^ ~e & g) &+ k[i] &+ w[i]
                let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ (a & b ^ a & c ^ b & c)
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            for (i, v) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] &+= v }
        }
        return Data(h.flatMap { v in (0..<4).reversed().map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) } })
    }

    static func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }

    static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
}
