import Foundation

/// A throw-away certificate authority and a server certificate it signed (for `127.0.0.1` and
/// `localhost`), made with the `openssl` CLI, so TLS tests verify a real chain instead of
/// switching verification off. Needs the Debian `openssl` package.
public struct TestCertificates: Sendable {
    /// PEM of the CA: what a client passes as its CA file.
    public let caCertificate: URL
    /// The CA's private key: what signs `clientCertificate`s.
    public let caKey: URL
    public let serverCertificate: URL
    public let serverKey: URL

    /// Creates the files inside `directory` (which the caller keeps alive).
    public init(in directory: TemporaryDirectory) throws {
        caCertificate = directory.path("ca.pem")
        serverCertificate = directory.path("server.pem")
        serverKey = directory.path("server.key")
        caKey = directory.path("ca.key")
        let request = directory.path("server.csr")
        let extensions = try directory.write("server.ext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
        try Self.openssl(["req", "-x509"] + Self.newKey + ["-keyout", caKey.path, "-out", caCertificate.path,
            "-days", "2", "-subj", "/CN=Lembra Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try Self.openssl(["req"] + Self.newKey + ["-keyout", serverKey.path, "-out", request.path, "-subj", "/CN=localhost"])
        try Self.openssl(["x509", "-req", "-in", request.path, "-CA", caCertificate.path, "-CAkey", caKey.path,
            "-CAcreateserial", "-out", serverCertificate.path, "-days", "2", "-extfile", extensions.path])
    }

    /// A client certificate this CA signed, for mutual TLS, and its key: `NAME.pem`, `NAME.key`.
    public func clientCertificate(_ name: String, in directory: TemporaryDirectory) throws -> (certificate: URL, key: URL) {
        let certificate = directory.path("\(name).pem"), key = directory.path("\(name).key"), request = directory.path("\(name).csr")
        let extensions = try directory.write("\(name).ext", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n")
        try Self.openssl(["req"] + Self.newKey + ["-keyout", key.path, "-out", request.path, "-subj", "/CN=\(name)"])
        try Self.openssl(["x509", "-req", "-in", request.path, "-CA", caCertificate.path, "-CAkey", caKey.path,
            "-CAcreateserial", "-out", certificate.path, "-days", "2", "-extfile", extensions.path])
        return (certificate, key)
    }

    private static let newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    private static func openssl(_ arguments: [String]) throws {
        try ShellCommand.run(URL(fileURLWithPath: "/usr/bin/env"), ["openssl"] + arguments)
    }
}
