import Foundation
import NIOSSL

/// `ingress.tls:` — the listener terminates TLS itself: its certificate chain and private key,
/// and, for mutual TLS, the CA whose client certificates it requires (the BCB Pix API connects
/// to the receiving endpoint with the PSP's client certificate). Built from the files' bytes
/// once, when the config is read, so every problem is a config problem found by `check-config`.
public struct IngressTLS: Sendable {
    /// Which file a problem is in.
    public enum Part: Sendable { case certificate, key, clientCA }

    /// A file that is not what it should be; `message` says why, without the file's content.
    public struct Problem: Error, Sendable {
        public let part: Part
        public let message: String
    }

    /// What the listener's TLS handler is built from.
    let configuration: TLSConfiguration
    /// Set with a client CA: a connection without a certificate that CA signed fails its handshake.
    public let requiresClientCertificate: Bool

    /// `certificate`: the server's certificate, then any intermediates, in PEM. `key`: its
    /// unencrypted private key in PEM. `clientCA`: one or more CA certificates in PEM.
    public init(certificate: Data, key: Data, clientCA: Data?) throws(Problem) {
        let chain = try Self.certificates(certificate, part: .certificate)
        let privateKey: NIOSSLPrivateKey
        do { privateKey = try NIOSSLPrivateKey(bytes: Array(key), format: .pem) } catch {
            throw Problem(part: .key, message: "not an unencrypted private key in PEM (-----BEGIN PRIVATE KEY-----)")
        }
        var configuration: TLSConfiguration
        if let clientCA {
            configuration = .makeServerConfigurationWithMTLS(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey),
                trustRoots: .certificates(try Self.certificates(clientCA, part: .clientCA)))
        } else {
            configuration = .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        }
        // TLS 1.0 and 1.1 are deprecated (RFC 8996); the Pix API requires 1.2 or later.
        configuration.minimumTLSVersion = .tlsv12
        // Building the context is where BoringSSL checks that the key belongs to the certificate.
        do { _ = try NIOSSLContext(configuration: configuration) } catch {
            throw Problem(part: .key, message: "does not match the certificate in cert_file (\(error))")
        }
        self.configuration = configuration
        requiresClientCertificate = clientCA != nil
    }

    private static func certificates(_ pem: Data, part: Part) throws(Problem) -> [NIOSSLCertificate] {
        let certificates = try? NIOSSLCertificate.fromPEMBytes(Array(pem))
        guard let certificates, !certificates.isEmpty else {
            throw Problem(part: part, message: "not a certificate in PEM (-----BEGIN CERTIFICATE-----)")
        }
        return certificates
    }
}
