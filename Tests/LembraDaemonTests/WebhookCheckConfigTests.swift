import Foundation
@testable import LembraDaemon
import Testing

/// `check:` on a webhook channel: `ping` by default, `none` to skip it, anything else refused at the key.
struct WebhookCheckConfigTests {
    func config(_ check: String, headers: String? = nil, mode: Int = 0o600) throws -> (ConfigFixture, String) {
        let f = try ConfigFixture()
        let secret = try f.dir.write("secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        if let headers {
            let file = try f.dir.write("headers", headers)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        }
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

    /// `headers_file`: secret headers in a credential file, beside those of `headers:`.
    @Test func headersFileAddsSecretHeaders() throws {
        let (f, yaml) = try config(", headers: { x-tenant: loja }, headers_file: headers", headers: "# token\r\n\nAuthorization: Bearer s3cret \r\n")
        guard case .webhook(let w)? = try f.load(yaml).channels["crm"] else { Issue.record("no webhook"); return }
        #expect(w.headers == ["x-tenant": "loja", "Authorization": "Bearer s3cret"])
    }

    /// A bad line is named by its number, never shown; a header given twice and a file every
    /// user can read are refused, at the key.
    @Test(arguments: [
        ("Authorization Bearer s3cret\n", 0o600, "line 1 of the file is not a header like `X-Api-Key: value` (the line is secret, so it is not shown)"),
        ("X-Tenant: other\n", 0o600, "header X-Tenant is set twice (in headers: and this file, or twice in the file); keep one"),
        ("Authorization: Bearer s3cret\n", 0o644, "is readable by every user; chmod o-r it"),
        ("Bad Name: s3cret\n", 0o600, "header name \"Bad Name\" is not a valid HTTP token"),
    ])
    func badHeadersFilesAreRefused(text: String, mode: Int, problem: String) throws {
        let (f, yaml) = try config(", headers: { x-tenant: loja }, headers_file: headers", headers: text, mode: mode)
        let problems = f.problems(yaml)
        #expect(problems.contains { $0.hasSuffix(problem) }, "\(problems)")
        #expect(!problems.joined().contains("s3cret"), "\(problems)")
    }

    @Test func headerLinesSkipCommentsAndBlanksAndNameTheBadLine() throws {
        #expect(try HeaderLines.parse("# c\n\n  \nA: 1\r\nB:2").get().map { "\($0.name)=\($0.value)" } == ["A=1", "B=2"])
        #expect(throws: HeaderLines.Problem(line: 3)) { try HeaderLines.parse("A: 1\n\nno colon\n").get() }
        #expect(throws: HeaderLines.Problem(line: 1)) { try HeaderLines.parse(": value").get() }
    }
}
