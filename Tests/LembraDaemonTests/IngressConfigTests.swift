import Foundation
@testable import LembraDaemon
import Testing
import TestSupport

/// `ingress:` is read with its defaults, its secrets from files, and refused at its key (line,
/// column) when an address, a size or a secret is wrong.
struct IngressConfigTests {
    static func config(_ ingress: String) -> String {
        [ConfigFixture.business, ingress, ConfigFixture.outbox, ConfigFixture.ladders].joined(separator: "\n")
    }

    /// A fixture holding the payments secret and the Pix token, private.
    static func fixture() throws -> ConfigFixture {
        let f = try ConfigFixture()
        for (name, text) in [("payments-webhook-secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), ("pix-token", "0123456789abcdef0123")] {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: try f.dir.write(name, text).path)
        }
        return f
    }

    @Test func absentMeansNoListener() throws {
        #expect(try Self.fixture().load(Self.config("")).ingress == nil)
    }

    @Test func theDefaultsAreLoopbackAnd64KB() throws {
        let ingress = try #require(try Self.fixture().load(Self.config("ingress: { payments_secret_file: payments-webhook-secret }")).ingress)
        #expect(ingress.host == "127.0.0.1" && ingress.port == 8089 && ingress.maxBody == 65_536 && ingress.pixToken == nil)
        let set = try #require(try Self.fixture().load(Self.config("""
            ingress: { listen: "[::1]:0", payments_secret_file: payments-webhook-secret, pix_token_file: pix-token, max_body: 1MB }
            """)).ingress)
        #expect(set.host == "::1" && set.port == 0 && set.maxBody == 1_048_576 && set.pixToken == "0123456789abcdef0123")
    }

    /// The example config's commented `ingress:` block, uncommented, is valid, and its values
    /// marked `# default` are the built-in ones.
    @Test func theExampleConfigsBlockIsValidAndItsDefaultsAreTheBuiltInOnes() throws {
        let example = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("config/lembra.example.yaml"), encoding: .utf8)
        let lines = example.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0 == "# ingress:" })
        let block = lines[start...].prefix { $0.hasPrefix("#") }.map { String($0.dropFirst(2)) }.joined(separator: "\n")
        let (defaulted, removed) = ExampleConfigDefaultsTests.withoutDefaults(block)
        #expect(removed == ["listen", "max_body", "expires_in"])
        let f = try PromiseConfigTests.fixture()
        let certificates = try TestCertificates(in: f.dir)
        try FileManager.default.createDirectory(at: f.dir.path("tls"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: certificates.serverCertificate, to: f.dir.path("tls/pix.crt"))
        try FileManager.default.copyItem(at: certificates.serverKey, to: f.dir.path("pix.key"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: f.dir.path("pix.key").path)
        let written = try #require(try f.load(Self.config(block)).ingress), built = try #require(try f.load(Self.config(defaulted)).ingress)
        #expect(written.host == built.host && written.port == built.port && written.maxBody == built.maxBody)
        #expect(written.pixToken != nil && written.tls?.requiresClientCertificate == false)
        #expect(written.promise != nil && written.promise?.expiresIn == built.promise?.expiresIn && written.promise?.maxDays == 10)
    }

    @Test(arguments: [
        ("ingress: { listen: 127.0.0.1:8089 }", "5:10: ingress: payments_secret_file: required: a file holding the whsec_... secret that signs POST /payments"),
        ("ingress: { payments_secret_file: pix-token }", "5:34: ingress.payments_secret_file: webhook secret must start with whsec_ followed by base64"),
        ("ingress: { payments_secret_file: nowhere }", "5:34: ingress.payments_secret_file: secret file not found: "),
        ("ingress: { listen: localhost, payments_secret_file: payments-webhook-secret }",
         "5:20: ingress.listen: expected HOST:PORT, like 127.0.0.1:8089, got 'localhost'"),
        ("ingress: { listen: \"127.0.0.1:70000\", payments_secret_file: payments-webhook-secret }",
         "5:20: ingress.listen: expected HOST:PORT with a port from 0 to 65535, like 127.0.0.1:8089, got '127.0.0.1:70000'"),
        ("ingress: { max_body: 64kb, payments_secret_file: payments-webhook-secret }",
         "5:22: ingress.max_body: expected a size from 1KB to 1MB, like 64KB, got '64kb'"),
        ("ingress: { max_body: 2MB, payments_secret_file: payments-webhook-secret }",
         "5:22: ingress.max_body: expected a size from 1KB to 1MB, like 64KB, got '2MB'"),
        ("ingress: { port: 1, payments_secret_file: payments-webhook-secret }", "5:12: ingress.port: unknown key; expected one of listen, payments_secret_file, pix_token_file, max_body"),
    ])
    func mistakesAreReportedAtTheirKey(yaml: String, problem: String) throws {
        let problems = try Self.fixture().problems(Self.config(yaml))
        #expect(problems.contains { $0.hasPrefix(problem) }, "\(problems)")
    }

    @Test func aShortPixTokenIsRefused() throws {
        let f = try Self.fixture()
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: try f.dir.write("short", "abc").path)
        let problems = f.problems(Self.config("ingress: { payments_secret_file: payments-webhook-secret, pix_token_file: short }"))
        #expect(problems == ["5:75: ingress.pix_token_file: the token must be at least 16 printable ASCII characters without spaces"])
    }
}

/// `ingress.promise:` with `public_url:`: the promise page and its links are on only with both.
struct PromiseConfigTests {
    static func fixture() throws -> ConfigFixture {
        let f = try IngressConfigTests.fixture()
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: try f.dir.write("promise-secret", "promise-secret-0123456789").path)
        for name in ["broken-promise", "promise-confirmed"] { try f.dir.write("templates/pt-BR/\(name).mustache", "Subject: \(name)\n\n{{total}}\n") }
        return f
    }

    /// Its templates are checked like a ladder's, and a missing one is reported at `promise:`.
    @Test func itsTemplatesMustExist() throws {
        let problems = try IngressConfigTests.fixture().problems(IngressConfigTests.config("""
            ingress: { payments_secret_file: payments-webhook-secret, public_url: https://p.test, promise: { max_days: 5, signing_secret_file: payments-webhook-secret } }
            """))
        #expect(problems.contains { $0.hasPrefix("5:96: ingress.promise: no file ") && $0.contains("templates/pt-BR/broken-promise.mustache") }, "\(problems)")
    }

    @Test func promiseIsOffUnlessConfigured() throws {
        let ingress = try #require(try Self.fixture().load(IngressConfigTests.config("ingress: { payments_secret_file: payments-webhook-secret }")).ingress)
        #expect(ingress.promise == nil)
    }

    @Test func promiseIsReadWithItsURLDaysAndKey() throws {
        let ingress = try #require(try Self.fixture().load(IngressConfigTests.config("""
            ingress: { payments_secret_file: payments-webhook-secret, public_url: "https://pay.example/lembra/",
                       promise: { max_days: 10, signing_secret_file: promise-secret, expires_in: 3d } }
            """)).ingress)
        let promise = try #require(ingress.promise)
        #expect(promise.publicURL == "https://pay.example/lembra" && promise.maxDays == 10 && promise.expiresIn == 3 * 86_400)
        #expect(promise.key == Data("promise-secret-0123456789".utf8) && promise.locale == .ptBR)
    }

    @Test(arguments: [
        ("ingress: { payments_secret_file: payments-webhook-secret, promise: { max_days: 10, signing_secret_file: promise-secret } }",
         "5:10: ingress: public_url: required with promise"),
        ("ingress: { payments_secret_file: payments-webhook-secret, public_url: https://p.test, promise: { max_days: 0, signing_secret_file: promise-secret } }",
         "5:108: ingress.promise.max_days: expected a whole number in 1...60"),
        ("ingress: { payments_secret_file: payments-webhook-secret, public_url: https://p.test, promise: { max_days: 5 } }",
         "5:96: ingress.promise: signing_secret_file: required"),
        ("ingress: { payments_secret_file: payments-webhook-secret, public_url: \"ftp://p.test?x\", promise: { max_days: 5, signing_secret_file: promise-secret } }",
         "5:71: ingress.public_url: expected an http:// or https:// URL"),
    ])
    func mistakesAreReportedAtTheirKey(yaml: String, problem: String) throws {
        let problems = try Self.fixture().problems(IngressConfigTests.config(yaml))
        #expect(problems.contains { $0.hasPrefix(problem) }, "\(problems)")
    }
}
