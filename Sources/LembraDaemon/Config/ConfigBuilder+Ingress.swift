import Foundation
import LembraCore
import LembraDelivery
import LembraIngress

extension ConfigBuilder {
    /// `ingress: { listen, payments_secret_file, pix_token_file, max_body, public_url, promise, tls }`;
    /// `timeZone` and `locale` are the business's, for the promise page of a customer without their own.
    func ingress(_ c: YAMLCursor, timeZone: TimeZone, locale: MessageLocale) -> IngressSettings? {
        guard let m = c.mapping(allowed: ["listen", "payments_secret_file", "pix_token_file", "max_body", "public_url", "promise", "tls"]) else { return nil }
        let v = Dictionary(m.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        guard let secretKey = v["payments_secret_file"] else {
            c.fail("payments_secret_file: required: a file holding the whsec_... secret that signs POST /payments"); return nil
        }
        guard let secret = self.secret(secretKey) else { return nil }
        let key: StandardWebhooks
        do throws(DeliveryError) { key = try StandardWebhooks(secret: secret) } catch { secretKey.fail(error.message); return nil }
        var settings = IngressSettings(payments: key)
        if let listen = v["listen"], let (host, port) = self.listen(listen) { settings.host = host; settings.port = port }
        if let size = v["max_body"].flatMap(byteSize) { settings.maxBody = size }
        if let tls = v["tls"] { settings.tls = self.tls(tls) }
        if let tokenKey = v["pix_token_file"], let token = self.secret(tokenKey) {
            guard token.count >= 16, token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                tokenKey.fail("the token must be at least 16 printable ASCII characters without spaces"); return nil
            }
            settings.pixToken = token
        }
        if let promise = v["promise"] {
            guard let url = v["public_url"] else {
                c.fail("public_url: required with promise: the address customers reach the ingress at, like https://pay.example/lembra"); return nil
            }
            // Mutual TLS asks every client for a certificate; a customer's browser has none.
            if settings.tls?.requiresClientCertificate == true {
                promise.fail("the promise page cannot be served when tls.client_ca_file requires a client certificate of every "
                             + "caller: customers' browsers have none. Require it in a proxy for /pix only, or leave promise: out")
                return nil
            }
            settings.promise = self.promise(promise, publicURL: url, timeZone: timeZone, locale: locale)
        } else if v["public_url"] != nil {
            c.warn("public_url is only used by promise: (the payment promise page); without it, messages have no promise_link")
        }
        return settings
    }

    /// `tls: { cert_file, key_file, client_ca_file }`. The files are read and checked here,
    /// so a wrong one is a config problem `check-config` finds, not a listener whose every
    /// handshake fails. The key is a secret file (`secret`); the certificates are not secret.
    func tls(_ c: YAMLCursor) -> IngressTLS? {
        guard let m = c.mapping(allowed: ["cert_file", "key_file", "client_ca_file"]) else { return nil }
        let v = Dictionary(m.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        guard let certKey = v["cert_file"] else { c.fail("cert_file: required: the listener's certificate, then any intermediates, in PEM"); return nil }
        guard let keyKey = v["key_file"] else { c.fail("key_file: required: the certificate's private key in PEM, readable by lembra only"); return nil }
        let caKey = v["client_ca_file"]
        let certificate = pemFile(certKey), key = secret(keyKey), clientCA = caKey.flatMap(pemFile)
        guard let certificate, let key, caKey == nil || clientCA != nil else { return nil }
        do throws(IngressTLS.Problem) {
            return try IngressTLS(certificate: certificate, key: Data(key.utf8), clientCA: clientCA)
        } catch {
            let file = switch error.part { case .certificate: certKey; case .key: keyKey; case .clientCA: caKey ?? certKey }
            file.fail("\(file.node.scalar?.string ?? ""): \(error.message)")
            return nil
        }
    }

    /// A certificate file, relative to the config's folder.
    func pemFile(_ c: YAMLCursor) -> Data? {
        guard let name = c.string() else { return nil }
        guard let path = c.path(relativeTo: base) else { c.fail("expected a file name, got '\(name)'"); return nil }
        guard let data = FileManager.default.contents(atPath: path) else { c.fail("cannot read \(path)"); return nil }
        return data
    }

    /// `promise: { max_days, signing_secret_file, expires_in }` with `public_url:`.
    func promise(_ c: YAMLCursor, publicURL: YAMLCursor, timeZone: TimeZone, locale: MessageLocale) -> PromiseSettings? {
        guard let m = c.mapping(allowed: ["max_days", "signing_secret_file", "expires_in"]) else { return nil }
        let v = Dictionary(m.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        guard let url = publicURL.string() else { return nil }
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), !url.contains("?"), !url.contains("#"),
              !url.contains(where: \.isWhitespace) else {
            publicURL.fail("expected an http:// or https:// URL without query or fragment, like https://pay.example/lembra"); return nil
        }
        guard let daysKey = v["max_days"] else { c.fail("max_days: required, the latest date a customer may promise, in days (1 to 60)"); return nil }
        guard let days = daysKey.int(in: 1...60) else { return nil }
        guard let secretKey = v["signing_secret_file"] else {
            c.fail("signing_secret_file: required: a file holding the secret that signs promise links"); return nil
        }
        guard let secret = self.secret(secretKey) else { return nil }
        guard secret.utf8.count >= 16 else { secretKey.fail("the secret must be at least 16 bytes"); return nil }
        var settings = PromiseSettings(publicURL: url, key: Data(secret.utf8), maxDays: days, timeZone: timeZone, locale: locale)
        if let expires = v["expires_in"]?.positiveDuration(atMost: ConfigLimits.linkExpiry) { settings.expiresIn = expires }
        return settings
    }

    /// `listen:` `HOST:PORT` or `[IPv6]:PORT`, port 0 to 65535 (0: any free port).
    func listen(_ c: YAMLCursor) -> (String, Int)? {
        guard let s = c.string() else { return nil }
        let hostPart: Substring, portPart: Substring
        if s.hasPrefix("["), let close = s.firstIndex(of: "]"), s[s.index(after: close)...].hasPrefix(":") {
            hostPart = s[s.index(after: s.startIndex)..<close]; portPart = s[s.index(close, offsetBy: 2)...]
        } else if let colon = s.lastIndex(of: ":"), !s[..<colon].contains(":") {
            hostPart = s[..<colon]; portPart = s[s.index(after: colon)...]
        } else {
            c.fail("expected HOST:PORT, like 127.0.0.1:8089, got '\(s)'"); return nil
        }
        guard !hostPart.isEmpty, let port = Int(portPart), (0...65_535).contains(port) else {
            c.fail("expected HOST:PORT with a port from 0 to 65535, like 127.0.0.1:8089, got '\(s)'"); return nil
        }
        return (String(hostPart), port)
    }

    /// `max_body:` bytes as `512B`, `64KB` or `1MB` (powers of 1024), from 1KB to `ConfigLimits.ingressMaxBody`.
    func byteSize(_ c: YAMLCursor) -> Int? {
        guard let s = c.string() else { return nil }
        let units = [("KB", 1024), ("MB", 1024 * 1024), ("B", 1)]
        guard let (suffix, size) = units.first(where: { s.hasSuffix($0.0) }), let n = Int(s.dropLast(suffix.count)),
              n > 0, n <= ConfigLimits.ingressMaxBody / size, (1024...ConfigLimits.ingressMaxBody).contains(n * size) else {
            c.fail("expected a size from 1KB to \(ConfigLimits.ingressMaxBody / 1024 / 1024)MB, like 64KB, got '\(s)'"); return nil
        }
        return n * size
    }
}
