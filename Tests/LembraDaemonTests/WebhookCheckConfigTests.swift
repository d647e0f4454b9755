import Foundation
@testable import LembraDaemon
import Testing

/// `check:` on a webhook channel: `ping` by default, `none` to skip it, anything else refused at the key.
struct WebhookCheckConfigTests {
    func config(_ check: String) throws -> (ConfigFixture, String) {
        let f = try ConfigFixture()
        let secret = try f.dir.write("secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        return (f, ConfigFixture.business + "\n" + ConfigFixture.ladders + "\n" + ConfigFixture.outbox + """

              crm: { type: webhook, url: "https://crm.example/tasks", secret_file: secret\(check) }
            templates: templates
            """)
    }

    @Test func pingIsTheDefaultAndNoneSkips() throws {
        let (f, yaml) = try config("")
        guard case .webhook(let w)? = try f.load(yaml).channels["crm"] else { Issue.record("no webhook"); return }
        #expect(w.check == .ping)
        let (g, quiet) = try config(", check: none")
        guard case .webhook(let q)? = try g.load(quiet).channels["crm"] else { Issue.record("no webhook"); return }
        #expect(q.check == .none)
    }

    @Test func anUnknownCheckIsRefusedAtItsKey() throws {
        let (f, yaml) = try config(", check: head")
        #expect(f.problems(yaml).contains { $0.hasSuffix("expected ping or none") }, "\(f.problems(yaml))")
    }
}
