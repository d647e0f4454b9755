import LembraDelivery
import Testing

@Suite struct SMTPSettingsTests {
    @Test func tlsDefaultsFollowTheScheme() {
        #expect(SMTPSettings(url: "smtps://smtp.example.com:465").tls == .implicit)
        #expect(SMTPSettings(url: "smtp://smtp.example.com:587").tls == .starttls)
        // Config values map one to one.
        #expect(["implicit", "starttls", "none"].map(SMTPSettings.TLS.init(rawValue:)) == [.implicit, .starttls, .disabled])
    }

    @Test(arguments: [
        SMTPSettings(url: "smtps://smtp.example.com:465", username: "u", password: "p"),
        SMTPSettings(url: "smtp://smtp.example.com:587", heloName: "lembra.example.com"),
        SMTPSettings(url: "smtp://127.0.0.1:25", tls: .disabled),
        SMTPSettings(url: "smtp://127.10.0.3:25", tls: .disabled),
        SMTPSettings(url: "smtp://localhost:25", tls: .disabled),
        SMTPSettings(url: "smtp://[::1]:25", tls: .disabled),
    ])
    func acceptsValidSettings(settings: SMTPSettings) throws {
        try settings.validate()
    }

    @Test(arguments: [
        SMTPSettings(url: "smtp://smtp.example.com:25", tls: .disabled),
        SMTPSettings(url: "smtp://10.0.0.5:25", tls: .disabled),
        SMTPSettings(url: "smtp://128.0.0.1:25", tls: .disabled),
        SMTPSettings(url: "smtp://localhost.evil.example:25", tls: .disabled),
        SMTPSettings(url: "smtp://127.0.0.1.nip.io:25", tls: .disabled),
    ])
    func refusesPlaintextToRemoteHosts(settings: SMTPSettings) {
        let error = #expect(throws: DeliveryError.self) { try settings.validate() }
        #expect(error?.step == "config")
        #expect(error?.message.contains("loopback") == true)
    }

    @Test(arguments: [
        SMTPSettings(url: "http://smtp.example.com"),
        SMTPSettings(url: "smtp://"),
        SMTPSettings(url: "smtp://smtp.example.com:587/path"),
        SMTPSettings(url: "smtp://user:pw@smtp.example.com:587"),
        SMTPSettings(url: "smtps://smtp.example.com:465", tls: .starttls),
        SMTPSettings(url: "smtp://smtp.example.com:587", tls: .implicit),
        SMTPSettings(url: "smtp://smtp.example.com:587", password: "p"),
        SMTPSettings(url: "smtp://smtp.example.com:587", heloName: "bad name\r\n"),
        SMTPSettings(url: "smtp://smtp.example.com:587", timeout: 0),
        SMTPSettings(url: "smtp://smtp.example.com:587", connectTimeout: .infinity),
        SMTPSettings(url: "smtp://smtp.example.com:587", timeout: .nan),
        SMTPSettings(url: "smtp://smtp.example.com:587", maxConnections: 0),
        SMTPSettings(url: "smtp://smtp.example.com:587", maxConnections: 1000),
    ])
    func refusesInconsistentSettings(settings: SMTPSettings) {
        let error = #expect(throws: DeliveryError.self) { try settings.validate() }
        #expect(error?.step == "config")
    }

    @Test func descriptionHidesThePassword() {
        let settings = SMTPSettings(url: "smtps://smtp.example.com:465", username: "u", password: "s3cr3t")
        #expect(!settings.description.contains("s3cr3t"))
        #expect(!String(reflecting: settings).contains("s3cr3t"))
        var dumped = ""
        dump(settings, to: &dumped)
        #expect(!dumped.contains("s3cr3t"))
    }
}
