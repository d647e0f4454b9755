import Foundation
import Testing
import TestSupport

/// What the customer pays with: the Pix code in the e-mail decodes, with a valid CRC, under an
/// independent decoder; signed links carry an expiry and a signature; a debt's own link wins.
struct PaymentLinkTests {
    static let customers = "id,name,email\nc1,Ana,ana@example.com\nc2,Bia,bia@example.com\n"
    static let debts = """
        id,customer_id,amount,due_date,payment_url
        DEB-2026-0001,c1,1234.56,2026-11-17,
        d2,c2,10.00,2026-11-17,https://provider.example/own-link
        """

    func sendOne(_ f: Fixture) throws -> [ParsedEmail] {
        #expect(try f.lembra("import", "customers", f.csv("c.csv", Self.customers)).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", Self.debts)).status == 0)
        let run = try f.lembra("run", "--once")
        #expect(run.status == 0, "\(run)")
        return try f.received()
    }

    @Test func thePixCodeInTheEmailDecodesIndependently() throws {
        let f = try Fixture(paymentLink: "payment_link: { kind: pix, key: 11.222.333/0001-81, merchant_name: Oficina Teste, merchant_city: São Paulo }")
        let mails = try sendOne(f)
        let ana = try #require(mails.first { $0["to"]?.contains("ana@") == true })
        let line = try #require(ana.body.split(separator: "\n").first { $0.contains("Pix copia e cola: ") })
        let code = String(line.split(separator: ": ", maxSplits: 1)[1])
        try ShellCommand.run(URL(fileURLWithPath: "/bin/bash"), [RepositoryPaths.root.appendingPathComponent("scripts/brcode-venv.sh").path])
        let json = try ShellCommand.run(RepositoryPaths.root.appendingPathComponent(".venv-brcode/bin/python"),
                                        [RepositoryPaths.servers.appendingPathComponent("check_brcode.py").path], input: Data((code + "\n").utf8))
        let decoded = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]]).first
        #expect(decoded?["crc_valid"] as? Bool == true, "\(decoded ?? [:])")
        #expect(decoded?["amount"] as? String == "1234.56")
        #expect(decoded?["key"] as? String == "11222333000181")
        // `DEB-2026-0001` has punctuation, so its txid is its letters and digits plus a digest of the id (computed independently).
        #expect(decoded?["txid"] as? String == "DEB202600010BIRMD6UY5XK7")
        #expect(decoded?["city"] as? String == "Sao Paulo")
        let bia = try #require(mails.first { $0["to"]?.contains("bia@") == true })
        #expect(bia.body.contains("https://provider.example/own-link"), "a debt's own link wins")
    }

    @Test func signedLinksCarryExpiryAndSignature() throws {
        let dir = try TemporaryDirectory()
        let secret = try dir.write("link-secret", "s3cr3t")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        let f = try Fixture(paymentLink: #"payment_link: { kind: url, template: "https://pay.test/d/{{debt.id}}", signing_secret_file: "\#(secret.path)", expires_in: 7d }"#)
        let mails = try sendOne(f)
        let ana = try #require(mails.first { $0["to"]?.contains("ana@") == true })
        // The claim time (2026-11-18T13:00:00Z = 1795006800) plus expires_in.
        let expected = 1_795_006_800 + 7 * 86_400
        #expect(ana.body.contains("https://pay.test/d/DEB-2026-0001?exp=\(expected)&sig="), "\(ana.body)")
    }
}

/// RFC 8058 one-click unsubscribe headers, when the business has a page for it.
struct UnsubscribeTests {
    @Test func eMailsCarryListUnsubscribeWhenConfigured() throws {
        let f = try Fixture(extraConfig: #"unsubscribe_url: "https://oficina.test/sair/{{customer.id}}""#)
        #expect(try f.lembra("import", "customers", f.csv("c.csv", "id,name,email\nc-1,Ana,ana@example.com\n")).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", "id,customer_id,amount,due_date\nd1,c-1,10.00,2026-11-17\n")).status == 0)
        #expect(try f.lembra("run", "--once").status == 0)
        let mail = try #require(try f.received().first)
        #expect(mail["list-unsubscribe"] == "<https://oficina.test/sair/c-1>")
        #expect(mail["list-unsubscribe-post"] == "List-Unsubscribe=One-Click")
    }
}
