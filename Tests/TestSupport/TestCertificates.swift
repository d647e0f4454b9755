import Foundation

/// A throw-away certificate authority and a server certificate it signed (for `127.0.0.1` and
/// `localhost`), made with the `openssl` CLI, so TLS tests verify a real chain instead of
/// switching verification off. Needs the Debian `openssl` package.
public struct TestCertificates: Sendable {
    /// PEM of the CA: what a client passes as its CA file.
    public let caCertificate: URL
    public let serverCertificate: URL
    public let serverKey: URL

    /// Creates the files inside `directory` (which the caller keeps alive).
    public init(in directory: TemporaryDirectory) throws {
        caCertificate = directory.path("ca.pem")
        serverCertificate = directory.path("server.pem")
        serverKey = directory.path("server.key")
        let caKey = directory.path("ca.key"), request = directory.path("server.csr")
        let extensions = try directory.write("server.ext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try Self.openssl(["req", "-x509"] + key + ["-keyout", caKey.path, "-out", caCertificate.path,
            "-days", "2", "-subj", "/CN=Lembra Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try Self.openssl(["req"] + key + ["-keyout", serverKey.path, "-out", request.path, "-subj", "/CN=localhost"])
        try Self.openssl(["x509", "-req", "-in", request.path, "-CA", caCertificate.path, "-CAkey", caKey.path,
            "-CAcreateserial", "-out", serverCertificate.path, "-days", "2", "-extfile", extensions.path])
    }

    private static func openssl(_ arguments: [String]) throws {
        try ShellCommand.run(URL(fileURLWithPath: "/usr/bin/env"), ["openssl"] + arguments)
    }
}
