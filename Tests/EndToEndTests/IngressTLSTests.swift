import Foundation
import Testing
import TestSupport

/// The ingress terminating TLS itself (`ingress.tls`), with certificates made for the test by
/// the openssl CLI and a real client (Python's `ssl`): HTTPS is served, and with a client CA
/// (mutual TLS, as the BCB Pix API requires of the receiving endpoint) only a client holding a
/// certificate that CA signed gets past the handshake; /pix still needs its bearer token, since the
/// CA may have signed certificates for others than the PSP.
@Suite(.serialized) struct IngressTLSTests {
    static let pixLink = "payment_link: { kind: pix, key: 11.222.333/0001-81, merchant_name: Oficina Teste, merchant_city: São Paulo }"

    /// A CA, the listener's certificate it signed, and the `ingress.tls` mapping for them.
    struct Certificates {
        let dir: TemporaryDirectory
        let ca: TestCertificates

        init() throws {
            dir = try TemporaryDirectory()
            ca = try TestCertificates(in: dir)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: ca.serverKey.path)
        }

        /// `clientCA`: also require client certificates this CA signed.
        func tls(clientCA: Bool) -> String {
            #"{ cert_file: "\#(ca.serverCertificate.path)", key_file: "\#(ca.serverKey.path)""#
                + (clientCA ? #", client_ca_file: "\#(ca.caCertificate.path)" }"# : " }")
        }

        /// `ingress_client.py`'s options: trust this CA, and present `client` if given.
        func client(_ client: (certificate: URL, key: URL)? = nil) -> [String] {
            ["--cafile", ca.caCertificate.path] + (client.map { ["--cert", $0.certificate.path, "--key", $0.key.path] } ?? [])
        }
    }

    @Test func theListenerServesHTTPSAndPixStillNeedsTheTokenWithoutAClientCA() throws {
        let certificates = try Certificates()
        let i = try IngressTests.Ingress(tls: certificates.tls(clientCA: false))
        #expect(i.daemon.stderr.contains("pix=true tls=true"), "\(i.daemon.stderr)")
        #expect(try i.healthz(client: certificates.client()) == "200 {\"result\":\"ok\"}\n")
        let pix = #"{"pix":[{"endToEndId":"E2E-tls-unknown","txid":"NOSUCHTXID","valor":"1.00","horario":"2026-11-18T13:02:31.358Z"}]}"#
        let noToken = try i.post("/pix", pix, sign: false, client: certificates.client())
        #expect(noToken.status == 401, "\(noToken)")
        let withToken = try i.post("/pix", pix, sign: false, bearer: IngressTests.pixToken, client: certificates.client())
        #expect(withToken.status == 200 && withToken.body.contains("unmatched"), "\(withToken)")
        // Plain HTTP to the TLS port is not served.
        let plain = String(decoding: try ShellCommand.run(RepositoryPaths.python, [
            RepositoryPaths.servers.appendingPathComponent("ingress_client.py").path, "--get", "http://127.0.0.1:\(i.port)/healthz"]), as: UTF8.self)
        #expect(plain.hasPrefix("000 ") || plain.hasPrefix("400 "), "\(plain)")
        #expect(i.stop() == 0, "\(i.daemon.stderr)")
    }

    @Test func withAClientCAOnlyACertificateItSignedGetsInAndPaysWithTheToken() throws {
        let certificates = try Certificates()
        let psp = try certificates.ca.clientCertificate("psp", in: certificates.dir)
        let otherDir = try TemporaryDirectory()
        let intruder = try TestCertificates(in: otherDir).clientCertificate("intruder", in: otherDir)
        let i = try IngressTests.Ingress(paymentLink: Self.pixLink, tls: certificates.tls(clientCA: true))
        #expect(i.daemon.stderr.contains("pix=true tls=true"), "\(i.daemon.stderr)")
        #expect(RunningLembra.waitUntil { (try? i.f.received().count) == 2 }, "both reminders first\n\(i.daemon.stderr)")
        let txid = try i.pixTxid(sentTo: "c1@")
        let body = #"{"pix":[{"endToEndId":"E1234567820261118130200000000009","txid":"\#(txid)","valor":"101.00","horario":"2026-11-18T13:02:31.358Z"}]}"#

        // Under TLS 1.3 the client may send its request before the server's refusal arrives: it then
        // reads the alert (SSLError), or finds the connection closed. Never an HTTP answer.
        let anonymous = try i.post("/pix", body, sign: false, bearer: IngressTests.pixToken, client: certificates.client())
        #expect(anonymous.status == 0, "no client certificate: the handshake fails \(anonymous)")
        let stranger = try i.post("/pix", body, sign: false, bearer: IngressTests.pixToken, client: certificates.client(intruder))
        #expect(stranger.status == 0, "a certificate from another CA: the handshake fails \(stranger)")
        #expect(try i.healthz(client: certificates.client()).hasPrefix("000 "), "every route needs the certificate")
        #expect(!i.daemon.stderr.contains("event=ingress_payment"), "nothing got through")

        let paid = try i.post("/pix", body, sign: false, bearer: IngressTests.pixToken, client: certificates.client(psp))
        #expect(paid.status == 200 && paid.body.contains(#""result":"recorded""#), "\(paid)")
        #expect(RunningLembra.waitUntil { (try? i.mails(to: "c1@").count) == 2 }, "the thank-you\n\(i.daemon.stderr)")
        #expect(i.stop() == 0, "\(i.daemon.stderr)")
        #expect(i.daemon.stderr.contains("event=ingress_payment debt=d1 reference=E1234567820261118130200000000009 amount_cents=10100 source=pix settled=true"),
                "\(i.daemon.stderr)")
        #expect(i.daemon.stderr.components(separatedBy: "event=ingress_payment ").count == 2, "recorded once")
    }

    /// With a client CA, /pix needs both the certificate and the token: a certificate alone (any
    /// the CA signed) is answered 401, and without `pix_token_file` /pix is not served at all.
    @Test func withAClientCAPixNeedsBothTheCertificateAndTheToken() throws {
        let certificates = try Certificates()
        let psp = try certificates.ca.clientCertificate("psp", in: certificates.dir)
        let i = try IngressTests.Ingress(tls: certificates.tls(clientCA: true))
        let pix = #"{"pix":[{"endToEndId":"E2E-both","txid":"NOSUCHTXID","valor":"1.00","horario":"2026-11-18T13:02:31.358Z"}]}"#
        let certificateOnly = try i.post("/pix", pix, sign: false, client: certificates.client(psp))
        #expect(certificateOnly.status == 401, "\(certificateOnly)")
        let both = try i.post("/pix", pix, sign: false, bearer: IngressTests.pixToken, client: certificates.client(psp))
        #expect(both.status == 200 && both.body.contains("unmatched"), "\(both)")
        #expect(i.stop() == 0, "\(i.daemon.stderr)")

        let tokenless = try IngressTests.Ingress(pixToken: false, tls: certificates.tls(clientCA: true))
        #expect(tokenless.daemon.stderr.contains("pix=false tls=true"), "\(tokenless.daemon.stderr)")
        #expect(try tokenless.post("/pix", pix, sign: false, client: certificates.client(psp)).status == 404)
        #expect(tokenless.stop() == 0, "\(tokenless.daemon.stderr)")
    }
}
