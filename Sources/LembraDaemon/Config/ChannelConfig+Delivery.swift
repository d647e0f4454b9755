import LembraDelivery

extension ChannelConfig {
    /// E-mail channels render `Subject:` + body templates; webhooks send the template text as is.
    var isEmail: Bool {
        switch self {
        case .smtp, .outbox: true
        case .webhook: false
        }
    }
}

extension SMTPChannelConfig {
    var settings: SMTPSettings {
        SMTPSettings(url: url, tls: SMTPSettings.TLS(rawValue: tls), username: username, password: password, caFile: caFile,
                     connectTimeout: connectTimeout, timeout: timeout, maxConnections: maxConnections, rate: rate)
    }
}

extension WebhookChannelConfig {
    var settings: WebhookSettings {
        WebhookSettings(url: url, secret: secret, headers: headers.sorted { $0.key < $1.key }, caFile: caFile,
                        connectTimeout: connectTimeout, timeout: timeout, maxConnections: maxConnections, rate: rate)
    }
}
