import Foundation
import Testing
import TestSupport

/// The reference config documents every key; it must stay a config `check-config` accepts.
struct ShippedConfigTests {
    @Test func theExampleConfigIsValid() throws {
        let dir = try TemporaryDirectory()
        let example = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("config/lembra.example.yaml"), encoding: .utf8)
        let templates = RepositoryPaths.root.appendingPathComponent("config/templates").path
        for (name, text) in [("smtp-password", "s3cret"), ("link-signing-secret", "k3y"),
                             ("sms-webhook-secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                             ("crm-webhook-secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")] {
            let file = try dir.write(name, text)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        }
        let config = try dir.write("lembra.yaml", example.replacingOccurrences(of: "templates: /etc/lembra/templates", with: "templates: \(templates)"))
        let result = try LembraBinary.run(["check-config", "--config", config.path])
        #expect(result.status == 0, "\(result)")
    }
}
