import Foundation
@testable import LembraDaemon
import Testing
import TestSupport

/// `ingress.tls:` is read from real PEM files (made by the openssl CLI) when the config is read,
/// and a file that is missing, not PEM, readable by everyone or holding another key is refused
/// at its key, naming the file.
struct IngressTLSConfigTests {
    /// The ingress fixture with a CA, its server certificate and key (private), and junk files.
    static func fixture() throws -> (ConfigFixture, TestCertificates) {
        let f = try PromiseConfigTests.fixture()
        let certificates = try TestCertificates(in: f.dir)
        let other = try certificates.clientCertificate("other", in: f.dir)
        for file in [certificates.serverKey, other.key, try f.dir.write("junk.key", "not a key\n")] {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        }
        try f.dir.write("junk.pem", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n")
        return (f, certificates)
    }

    static func config(_ tls: String, more: String = "") -> String {
        IngressTLSConfigTests.ingress("payments_secret_file: payments-webhook-secret, tls: \(tls)\(more)")
    }

    static func ingress(_ keys: String) -> String { IngressConfigTests.config("ingress: { \(keys) }") }

    @Test func plainHTTPIsTheDefault() throws {
        let (f, _) = try Self.fixture()
        #expect(try #require(try f.load(Self.ingress("payments_secret_file: payments-webhook-secret")).ingress).tls == nil)
    }

    @Test func aCertificateAndKeyServeTLSAndPixStillNeedsTheToken() throws {
        let (f, _) = try Self.fixture()
        let ingress = try #require(try f.load(Self.config("{ cert_file: server.pem, key_file: server.key }")).ingress)
        let tls = try #require(ingress.tls)
        #expect(!tls.requiresClientCertificate && ingress.pixToken == nil)
    }

    /// Mutual TLS does not stand in for the token: the CA may have signed others' certificates.
    @Test func aClientCAMakesItMutualButPixStillNeedsTheToken() throws {
        let (f, _) = try Self.fixture()
        let ingress = try #require(try f.load(Self.config("{ cert_file: server.pem, key_file: server.key, client_ca_file: ca.pem }")).ingress)
        #expect(ingress.tls?.requiresClientCertificate == true && ingress.pixToken == nil)
    }

    @Test(arguments: [
        ("{ key_file: server.key }", "ingress.tls: cert_file: required"),
        ("{ cert_file: server.pem }", "ingress.tls: key_file: required"),
        ("{ cert_file: missing.pem, key_file: server.key }", "ingress.tls.cert_file: cannot read /"),
        ("{ cert_file: \"\", key_file: server.key }", "ingress.tls.cert_file: expected a file name, got ''"),
        ("{ cert_file: junk.pem, key_file: server.key }", "ingress.tls.cert_file: junk.pem: not a certificate in PEM"),
        ("{ cert_file: junk.key, key_file: server.key }", "ingress.tls.cert_file: junk.key: not a certificate in PEM"),
        ("{ cert_file: server.pem, key_file: junk.key }", "ingress.tls.key_file: junk.key: not an unencrypted private key in PEM"),
        ("{ cert_file: server.pem, key_file: missing.key }", "ingress.tls.key_file: secret file not found: "),
        ("{ cert_file: server.pem, key_file: other.key }", "ingress.tls.key_file: other.key: does not match the certificate in cert_file"),
        ("{ cert_file: server.pem, key_file: server.key, client_ca_file: junk.pem }", "ingress.tls.client_ca_file: junk.pem: not a certificate in PEM"),
        ("{ cert_file: server.pem, key_file: server.key, client_ca_file: nowhere.pem }", "ingress.tls.client_ca_file: cannot read /"),
        ("{ cert_file: server.pem, key_file: server.key, ca: ca.pem }", "ingress.tls.ca: unknown key; expected one of cert_file, key_file, client_ca_file"),
    ])
    func mistakesAreReportedAtTheirKeyNamingTheFile(tls: String, problem: String) throws {
        let (f, _) = try Self.fixture()
        let problems = f.problems(Self.config(tls))
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
    }

    @Test func aKeyEveryUserCanReadIsRefused() throws {
        let (f, certificates) = try Self.fixture()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: certificates.serverKey.path)
        let problems = f.problems(Self.config("{ cert_file: server.pem, key_file: server.key }"))
        #expect(problems.contains { $0.contains("ingress.tls.key_file: \(certificates.serverKey.path) is readable by every user; chmod o-r it") },
                "\(problems)")
    }

    /// Customers' browsers have no client certificate: the promise page cannot sit behind mTLS.
    @Test func thePromisePageIsRefusedBehindMutualTLS() throws {
        let (f, _) = try Self.fixture()
        let problems = f.problems(Self.config("{ cert_file: server.pem, key_file: server.key, client_ca_file: ca.pem }",
                                              more: ", public_url: https://p.test, promise: { max_days: 5, signing_secret_file: promise-secret }"))
        #expect(problems.contains { $0.contains("ingress.promise: the promise page cannot be served when tls.client_ca_file requires") }, "\(problems)")
        let plainTLS = try #require(try f.load(Self.config("{ cert_file: server.pem, key_file: server.key }",
                                                           more: ", public_url: https://p.test, promise: { max_days: 5, signing_secret_file: promise-secret }")).ingress)
        #expect(plainTLS.promise != nil, "without a client CA the page is served over TLS")
    }
}
