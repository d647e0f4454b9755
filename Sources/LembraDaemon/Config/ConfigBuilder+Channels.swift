import Foundation
import LembraCore
import LembraDelivery

extension ConfigBuilder {
    func channels(_ c: YAMLCursor) -> [String: ChannelConfig]? {
        var result: [String: ChannelConfig] = [:]
        for (name, v) in c.mapping() ?? [] {
            guard let m = v.mapping() else { continue }
            let keys = Dictionary(m.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            switch keys["type"]?.string() {
            case "smtp": result[name] = smtp(v, keys).map(ChannelConfig.smtp)
            case "outbox": result[name] = outbox(v, keys).map(ChannelConfig.outbox)
            case "webhook": result[name] = webhook(v, keys).map(ChannelConfig.webhook)
            case let t?: keys["type"]?.fail("unknown channel type '\(t)'; use smtp, webhook or outbox")
            case nil: v.fail("type: required (smtp, webhook or outbox)")
            }
        }
        return result
    }

    func outbox(_ c: YAMLCursor, _ keys: [String: YAMLCursor]) -> OutboxChannelConfig? {
        _ = c.mapping(allowed: ["type", "path", "from"])
        guard let path = keys["path"]?.path(relativeTo: base) else { c.fail("path: required"); return nil }
        guard let from = sender(c, keys) else { return nil }
        return OutboxChannelConfig(path: path, from: from)
    }

    func smtp(_ c: YAMLCursor, _ keys: [String: YAMLCursor]) -> SMTPChannelConfig? {
        let before = c.sink.problems.count
        _ = c.mapping(allowed: ["type", "url", "tls", "username", "password_file", "ca_file", "from", "connect_timeout", "timeout",
                                "max_connections", "rate"])
        guard let url = keys["url"]?.string(), let parsed = URL(string: url), let host = parsed.host,
              parsed.scheme == "smtp" || parsed.scheme == "smtps" else {
            (keys["url"] ?? c).fail("url: required, like smtps://smtp.example.com:465 or smtp://smtp.example.com:587"); return nil
        }
        let tls = keys["tls"]?.string() ?? (parsed.scheme == "smtps" ? "implicit" : "starttls")
        if !["implicit", "starttls", "none"].contains(tls) { keys["tls"]?.fail("expected implicit, starttls or none") }
        if tls == "implicit" && parsed.scheme != "smtps" { keys["tls"]?.fail("implicit TLS needs an smtps:// url") }
        if tls == "none" && !Loopback.contains(host) {
            keys["tls"]?.fail("tls: none sends passwords and personal data in clear text; it is allowed only for loopback hosts")
        }
        let password = keys["password_file"].flatMap { secret($0) }
        if keys["username"] != nil && keys["password_file"] == nil { c.fail("username is set but password_file is not") }
        let caFile = keys["ca_file"]?.path(relativeTo: base)
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) { keys["ca_file"]?.fail("cannot read \(caFile)") }
        guard let from = sender(c, keys) else { return nil }
        let config = SMTPChannelConfig(url: url, tls: tls, username: keys["username"]?.string(), password: password, caFile: caFile, from: from,
                                       connectTimeout: keys["connect_timeout"].flatMap(timeout) ?? 10, timeout: keys["timeout"].flatMap(timeout) ?? 30,
                                       maxConnections: keys["max_connections"]?.int(in: 1...64) ?? 4, rate: keys["rate"].flatMap(rate))
        validate(c, problemsBefore: before) { () throws(DeliveryError) in try config.settings.validate() }
        return config
    }

    /// `timeout:`, `connect_timeout:`: more than zero and less than a day (what the transports accept).
    func timeout(_ c: YAMLCursor) -> Double? { c.positiveDuration(below: 86_400) }

    /// What the transport itself will check, reported at the channel, only when nothing was
    /// reported for it yet: a problem already reported at its key (and replaced by a default, or
    /// a missing secret) is not reported a second time in other words.
    func validate(_ c: YAMLCursor, problemsBefore: Int, _ check: () throws(DeliveryError) -> Void) {
        guard c.sink.problems.count == problemsBefore else { return }
        do throws(DeliveryError) { try check() } catch { c.fail(error.message) }
    }

    func webhook(_ c: YAMLCursor, _ keys: [String: YAMLCursor]) -> WebhookChannelConfig? {
        let before = c.sink.problems.count
        _ = c.mapping(allowed: ["type", "url", "secret_file", "headers", "headers_file", "ca_file", "connect_timeout", "timeout",
                                "max_connections", "rate", "handoff", "requires", "check"])
        guard let url = keys["url"]?.string() else { c.fail("url: required, like https://sms.example/send"); return nil }
        guard let secretKey = keys["secret_file"] else { c.fail("secret_file: required: a file holding the whsec_... signing secret"); return nil }
        var headers: [String: String] = [:]
        for (name, value) in keys["headers"]?.mapping() ?? [] { headers[name] = value.string() }
        if let file = keys["headers_file"] { secretHeaders(file, into: &headers) }
        let requires = keys["requires"].flatMap { r -> WebhookChannelConfig.Requirement? in
            guard let s = r.string() else { return nil }
            guard let req = WebhookChannelConfig.Requirement(rawValue: s) else { r.fail("expected phone, email or none"); return nil }
            return req
        } ?? .none
        let check = keys["check"].flatMap { k -> WebhookChannelConfig.Check? in
            guard let s = k.string() else { return nil }
            guard let check = WebhookChannelConfig.Check(rawValue: s) else { k.fail("expected ping or none"); return nil }
            return check
        } ?? .ping
        var config = WebhookChannelConfig(
            url: url, secret: secret(secretKey) ?? "", headers: headers, caFile: keys["ca_file"]?.path(relativeTo: base),
            connectTimeout: keys["connect_timeout"].flatMap(timeout) ?? 10, timeout: keys["timeout"].flatMap(timeout) ?? 30,
            maxConnections: keys["max_connections"]?.int(in: 1...64) ?? 4, rate: keys["rate"].flatMap(rate),
            handoff: keys["handoff"]?.bool() ?? false, requires: requires)
        config.check = check
        validate(c, problemsBefore: before) { () throws(DeliveryError) in try config.settings.validate() }
        return config
    }

    /// Adds the headers of `headers_file` (a secret file, found like `secret_file`) to those of
    /// `headers:`, which sit in the config that every user on the machine can read: a gateway's
    /// API token belongs in the file. A name given twice is refused, in any case.
    func secretHeaders(_ c: YAMLCursor, into headers: inout [String: String]) {
        guard let text = secret(c) else { return }
        switch HeaderLines.parse(text) {
        case .failure(let problem):
            c.fail("line \(problem.line) of the file is not a header like `X-Api-Key: value` (the line is secret, so it is not shown)")
        case .success(let lines):
            for (name, value) in lines {
                guard !headers.keys.contains(where: { $0.lowercased() == name.lowercased() }) else {
                    c.fail("header \(name) is set twice (in headers: and this file, or twice in the file); keep one"); continue
                }
                headers[name] = value
            }
        }
    }

    /// `rate:` messages per second, within `TransferLimits.rates` (a slower rate spaced messages
    /// further apart than the clock arithmetic holds, and stopped every tick).
    func rate(_ c: YAMLCursor) -> Double? {
        guard let s = c.string() else { return nil }
        guard let r = Double(s), TransferLimits.rates.contains(r) else {
            c.fail("expected messages per second, from \(TransferLimits.rates.lowerBound) (one every 100 s) to "
                   + "\(Int(TransferLimits.rates.upperBound)), like 10 or 0.5, got '\(s)'"); return nil
        }
        return r
    }

    func sender(_ c: YAMLCursor, _ keys: [String: YAMLCursor]) -> String? {
        guard let from = keys["from"]?.string() else { c.fail("from: required, e.g. \"Cobrança <cobranca@empresa.com.br>\""); return nil }
        if let problem = EmailCheck.sender(from) { keys["from"]?.fail(problem) }
        return from
    }

    /// The id the shipped unit loads the credentials folder under (`LoadCredential=lembra:FOLDER`):
    /// systemd names each file's credential `<id>_<file>`.
    static let credentialFolderID = "lembra"

    /// Reads a `*_file` secret. A relative name is looked up in `$CREDENTIALS_DIRECTORY` first
    /// (systemd `LoadCredential=`), as itself (a credential loaded on its own, or the folder
    /// named directly by hand) or as `lembra_<name>` (the shipped unit loads the whole folder),
    /// then next to the config. Refuses world-readable files.
    func secret(_ c: YAMLCursor) -> String? {
        guard let name = c.string() else { return nil }
        var candidates: [String] = []
        if !name.hasPrefix("/"), let creds = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"] {
            let folder = URL(fileURLWithPath: creds)
            candidates += [folder.appendingPathComponent(name).path,
                           folder.appendingPathComponent("\(Self.credentialFolderID)_\(name)").path]
        }
        candidates.append(c.path(relativeTo: base) ?? name)
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            c.fail("secret file not found: \(candidates.joined(separator: " or "))"); return nil
        }
        if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o004 != 0 {
            c.fail("\(path) is readable by every user; chmod o-r it")
            return nil
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { c.fail("cannot read \(path)"); return nil }
        return text.trimmingCharacters(in: .newlines)
    }
}
