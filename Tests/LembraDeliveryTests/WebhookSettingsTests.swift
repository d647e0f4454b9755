import LembraDelivery
import Testing

@Suite struct WebhookSettingsTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    static func settings(url: String = "https://sms.example/send", secret: String = secret,
                         headers: [(String, String)] = [], caFile: String? = nil, connectTimeout: Double = 10,
                         timeout: Double = 30, maxConnections: Int = 4, rate: Double? = nil) -> WebhookSettings {
        WebhookSettings(url: url, secret: secret, headers: headers, caFile: caFile, connectTimeout: connectTimeout,
                        timeout: timeout, maxConnections: maxConnections, rate: rate)
    }

    @Test func defaults() {
        let settings = WebhookSettings(url: "https://crm.example/tasks", secret: Self.secret)
        #expect(settings.maxConnections == 4)
        #expect(settings.rate == nil)
        #expect(settings.headers.isEmpty)
    }

    @Test(arguments: [
        settings(),
        settings(url: "https://sms.example:8443/v1/send?channel=sms"),
        settings(url: "http://127.0.0.1:8080/hook"),
        settings(url: "http://localhost/hook"),
        settings(url: "http://[::1]:9000/"),
        settings(headers: [("Authorization", "Bearer abc.def"), ("X-Tenant", "loja-1"), ("user-agent", "lembra")]),
        settings(caFile: "/etc/lembra/ca.pem", connectTimeout: 1, timeout: 2, maxConnections: 1, rate: 0.5),
    ])
    func acceptsValidSettings(settings: WebhookSettings) throws {
        try settings.validate()
    }

    @Test(arguments: [
        settings(url: "ftp://sms.example/send"),
        settings(url: "sms.example/send"),
        settings(url: "https://"),
        settings(url: "https://user:pw@sms.example/send"),
        settings(url: "http://sms.example/send"),
        settings(url: "http://127.0.0.1.nip.io/send"),
        settings(secret: "not-a-secret"),
        settings(secret: "whsec_%%%"),
        settings(headers: [("X-Token", "abc\r\nX-Injected: 1")]),
        settings(headers: [("X-Token", "abc\ndef")]),
        settings(headers: [("X-Token", "abc\0def")]),
        settings(headers: [("X Token", "abc")]),
        settings(headers: [("X-Token:", "abc")]),
        settings(headers: [("", "abc")]),
        settings(headers: [("Content-Type", "text/plain")]),
        settings(headers: [("webhook-id", "fixed")]),
        settings(headers: [("Webhook-Signature", "v1,forged")]),
        settings(headers: [("Content-Length", "3")]),
        settings(headers: [("Host", "other.example")]),
        settings(caFile: ""),
        settings(connectTimeout: 0),
        settings(timeout: .infinity),
        settings(timeout: .nan),
        settings(maxConnections: 0),
        settings(maxConnections: 1000),
        settings(rate: 0),
        settings(rate: -1),
        settings(rate: .nan),
    ])
    func refusesBadSettings(settings: WebhookSettings) {
        let error = #expect(throws: DeliveryError.self) { try settings.validate() }
        #expect(error?.step == "config")
    }

    @Test func plainHTTPIsOnlyForLoopback() {
        let error = #expect(throws: DeliveryError.self) { try Self.settings(url: "http://crm.example/tasks").validate() }
        #expect(error?.message.contains("loopback") == true)
    }

    @Test func transportRefusesInvalidSettings() {
        #expect(throws: DeliveryError.self) { try WebhookTransport(settings: Self.settings(secret: "whsec_")) }
    }

    @Test func descriptionHidesTheSecretAndHeaderValues() {
        let settings = Self.settings(headers: [("Authorization", "Bearer t0k3n-value")])
        var dumped = ""
        dump(settings, to: &dumped)
        for text in [settings.description, String(reflecting: settings), dumped] {
            #expect(!text.contains("MfKQ9r8G"))
            #expect(!text.contains("t0k3n"))
            #expect(text.contains("Authorization"))
        }
    }

    @Test func equalityComparesHeaders() {
        #expect(Self.settings(headers: [("A", "1")]) == Self.settings(headers: [("A", "1")]))
        #expect(Self.settings(headers: [("A", "1")]) != Self.settings(headers: [("A", "2")]))
        #expect(Self.settings(headers: [("A", "1")]) != Self.settings())
    }
}
