import LembraCore
import Testing
import TestSupport

@Suite struct EmailAddressSyntaxTests {
    @Test(arguments: [
        "ana@example.com", "a.b+tag@sub.example.com.br", "joao_silva-1@x.io", "a@b.co", "ANA@EXAMPLE.COM",
        "o'neil@example.com", "x!#$%&'*+-/=?^_`{|}~@example.com", "ana@xn--aougue-wua.com.br", "ana@123.example.com",
        "ana@a-b.example.com", String(repeating: "a", count: 64) + "@example.com",
        "ana@" + String(repeating: "d", count: 63) + ".com",
    ])
    func acceptsAddresses(address: String) {
        #expect(EmailAddressSyntax.problem(address) == nil)
    }

    @Test(arguments: [
        ("", "empty"),
        ("ana", "no_at_sign"),
        ("ana@b@example.com", "several_at_signs"), ("ana@@example.com", "several_at_signs"),
        ("@example.com", "empty_local_part"),
        (String(repeating: "a", count: 65) + "@example.com", "local_part_too_long"),
        ("ana silva@example.com", "forbidden_character"), ("\"ana\"@example.com", "forbidden_character"),
        ("<ana@example.com>", "forbidden_character"), ("ana(x)@example.com", "forbidden_character"),
        ("ana,bia@example.com", "forbidden_character"), ("ana:1@example.com", "forbidden_character"),
        (".ana@example.com", "misplaced_dot"), ("ana.@example.com", "misplaced_dot"), ("ana..b@example.com", "misplaced_dot"),
        ("ana@", "empty_domain"),
        ("a@b.", "empty_domain_label"), ("a@.com", "empty_domain_label"), ("ana@example..com", "empty_domain_label"),
        ("ana@.", "empty_domain_label"),
        ("ana@localhost", "single_label_domain"), ("ana@b", "single_label_domain"),
        ("ana@exa_mple.com", "forbidden_domain_character"), ("ana@example.com>", "forbidden_domain_character"),
        ("ana@[127.0.0.1]", "forbidden_domain_character"), ("ana@example .com", "forbidden_domain_character"),
        ("ana@-example.com", "hyphen_at_label_edge"), ("ana@example-.com", "hyphen_at_label_edge"), ("ana@example.com-", "hyphen_at_label_edge"),
        ("ana@" + String(repeating: "d", count: 64) + ".com", "domain_label_too_long"),
        ("ana@" + Array(repeating: String(repeating: "d", count: 50), count: 5).joined(separator: ".") + ".com", "too_long"),
        ("ana@example.com\r\nRCPT TO:<x@y.z>", "control_character"), ("ana@example.com\n", "control_character"),
        ("ana\0@example.com", "control_character"), ("ana@exa\rmple.com", "control_character"), ("ana\t@example.com", "control_character"),
        ("joão@example.com", "not_ascii"), ("ana@açougue.com.br", "not_ascii"), ("ana@example.com\u{85}", "control_character"),
    ])
    func namesWhatIsWrong(address: String, reason: String) {
        #expect(EmailAddressSyntax.problem(address)?.reason == reason)
        #expect(throws: EmailAddressError.self) { try EmailAddressSyntax.check(address) }
    }

    /// 64 + 1 + 189 = 254 characters is the SMTP path limit; one more is refused even though each
    /// part is within its own limit.
    @Test func theWholeAddressHasAtMost254Characters() {
        let local = String(repeating: "a", count: 64)
        let domain = { (n: Int) in Array(repeating: String(repeating: "d", count: 60), count: 3).joined(separator: ".") + "." + String(repeating: "e", count: n) }
        #expect(EmailAddressSyntax.problem(local + "@" + domain(6)) == nil)
        #expect((local + "@" + domain(6)).count == 254)
        #expect(EmailAddressSyntax.problem(local + "@" + domain(7))?.reason == "too_long")
    }

    @Test func messagesNameTheProblemButNeverTheAddress() {
        let cases = [("a@b.", "empty domain label"), ("ana silva@example.com", "a space is not allowed"),
                     ("ana<x>@example.com", "'<' is not allowed"), ("ana@localhost", "domain without a dot"),
                     ("joão@example.com", "outside plain ASCII"), ("ana@exa_mple.com", "'_' in the domain")]
        for (address, expected) in cases {
            let message = EmailAddressSyntax.problem(address)?.description ?? ""
            #expect(message.contains(expected), "\(address): \(message)")
            #expect(!message.contains("ana") && !message.contains("example") && !message.contains("@"), "\(message)")
        }
    }

    /// Every problem has a message free of `@`, which the delivery layer would redact as a
    /// possible address, hiding the explanation.
    @Test func noMessageContainsAnAtSign() {
        let bad = ["", "a", "a@b@c.d", "@b.c", String(repeating: "a", count: 65) + "@b.c", "a b@c.d", ".a@b.c", "a@", "a@b.",
                   "a@b", "a@b_c.d", "a@-b.c", "a@" + String(repeating: "b", count: 64) + ".c", "a\n@b.c", "á@b.c",
                   "a@" + String(repeating: "b.", count: 130) + "c"]
        for address in bad {
            let error = EmailAddressSyntax.problem(address)
            #expect(error != nil, "\(address)")
            #expect(error.map { !$0.message.contains("@") && !$0.message.isEmpty } == true, "\(address)")
        }
    }

    /// Random addresses made of the pieces each rule looks at, judged as the Character-level
    /// rule judged them (`LegacyEmailAddressSyntax`): same verdict, same error, same character.
    @Test func checksOnBytesAsItDidOnCharacters() {
        var rng = SeededGenerator(seed: 0xADD5)
        let good = ["a", "Z", "0", "9", "ana", "xn--", "com", "-", ".", "_", "+", "~", String(repeating: "a", count: 60)]
        let bad = ["..", "@", " ", "\"", "(", "[", ",", ":", "\t", "\r\n", "\u{0}", "\u{7f}", "\u{85}", "é", "e\u{301}", "😀", "ß", "ª", "²", "Ⅻ"]
        func part() -> String {
            (0..<Int(1 + rng.next() % 4)).map { _ in
                rng.next() % 12 == 0 ? bad[Int(rng.next() % UInt64(bad.count))] : good[Int(rng.next() % UInt64(good.count))]
            }.joined()
        }
        var valid = 0
        for i in 0..<50_000 {
            let labels = (0..<Int(rng.next() % 4)).map { _ in part() }.joined(separator: ".")
            let address = rng.next() % 10 == 0 ? part() : part() + "@" + labels
            let problem = EmailAddressSyntax.problem(address)
            #expect(problem == LegacyEmailAddressSyntax.problem(address), "case \(i): \(Array(address.unicodeScalars.map(\.value)))")
            if problem == nil { valid += 1 }
        }
        #expect(valid > 100, "the corpus reaches valid addresses too")
    }
}
