import Foundation
import LembraCore
@testable import LembraDaemon
import Testing

struct ConfigLoaderTests {
    @Test func aMinimalConfigGetsTheDocumentedDefaults() throws {
        let f = try ConfigFixture()
        let c = try f.load([ConfigFixture.business, ConfigFixture.outbox, ConfigFixture.ladders].joined(separator: "\n"))
        #expect(c.tick == 300)
        #expect(c.timeZone.identifier == "America/Sao_Paulo")
        #expect(c.locale == .ptBR)
        #expect(c.policy.window == .legalDefault)
        #expect(c.policy.limits == ContactLimits(minGap: 48 * 3600, perCustomerPerWeek: 3))
        #expect(c.policy.segments == DefaultPolicy.segments)
        #expect(c.inDoubt == .skip)
        #expect(c.database == "/var/lib/lembra/lembra.sqlite")
        #expect(c.outboxPaths == [f.dir.path("out").standardizedFileURL.path], "relative paths are taken from the config's folder")
        #expect(c.policy.ladders["forgetful"]?.steps.first?.id == "forgetful.1d")
        #expect(c.policy.onPaid.steps.first?.id == "on_paid.friendly")
    }

    @Test func everyProblemIsReportedWithItsLineAndColumn() throws {
        let f = try ConfigFixture()
        let problems = f.problems("""
            tick: 5 minutes
            timezone: Mars/Olympus
            \(ConfigFixture.business)
            \(ConfigFixture.outbox)
            segments:
              - { name: chronic, any: ["days_overdue >> 30"] }
              - { name: rest, all: ["days_overdue > 1"] }
            ladders:
              forgetful: [ { at: 1, channel: sms, template: friendly } ]
            """)
        #expect(problems.contains("1:7: tick: expected a duration like 30s, 5m, 48h or 7d, got '5 minutes'"), "\(problems)")
        #expect(problems.contains("2:11: timezone: unknown time zone 'Mars/Olympus'; use an IANA name like America/Sao_Paulo"), "\(problems)")
        #expect(problems.contains { $0.hasPrefix("10:28: segments[0].any[0]: unknown operator '>>'") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("11:5: segments[1]: the last segment must have no conditions") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("13:22: ladders.forgetful[0].at: expected whole days like 1d") }, "\(problems)")
        #expect(!problems.contains { $0.contains("at: required") }, "a bad value is reported once, not also as missing")
        let lines = problems.compactMap { Int($0.prefix { $0.isNumber }) }
        #expect(lines == lines.sorted(), "problems come in file order")
    }

    @Test func theSupplierIdentityIsRequired() throws {
        let f = try ConfigFixture()
        let problems = f.problems("business: { name: X, document: 123 }\n" + ConfigFixture.outbox)
        #expect(problems.contains { $0.contains("address: required: every collection message names the supplier (CDC art. 42-A)") }, "\(problems)")
        #expect(problems.contains { $0.contains("business.document: a CPF has 11 digits and a CNPJ 14") }, "\(problems)")
    }

    @Test(arguments: ["12.ABC.345/01DE-35", "12.abc.345/01de-35", "11.222.333/0001-81", "529.982.247-25"])
    func theBusinessMayHaveAnAlphanumericCNPJ(document: String) throws {
        let f = try ConfigFixture()
        let business = ConfigFixture.business.replacingOccurrences(of: "11.222.333/0001-81", with: document)
        let c = try f.load([business, ConfigFixture.outbox, ConfigFixture.ladders].joined(separator: "\n"))
        #expect(c.business.document == document, "shown as written")
        let wrong = ConfigFixture.business.replacingOccurrences(of: "11.222.333/0001-81", with: "12.ABC.345/01DE-53")
        #expect(f.problems([wrong, ConfigFixture.outbox, ConfigFixture.ladders].joined(separator: "\n"))
            .contains { $0.contains("business.document: CNPJ check digits do not match") })
    }

    /// `from` and `reply_to` go through the rule delivery applies, so check-config catches what
    /// would fail every message; the problem is named, the address is not repeated.
    @Test(arguments: [
        ("from: \"Teste <a@b.>\"", "from: not an e-mail address: empty domain label"),
        ("from: \"a@.com\"", "from: not an e-mail address: empty domain label"),
        ("from: \"Teste <a@localhost>\"", "from: not an e-mail address: domain without a dot"),
        ("from: \"Teste <joão@b.com>\"", "from: not an e-mail address: has a character outside plain ASCII"),
    ])
    func senderAddressesAreCheckedStrictly(from: String, problem: String) throws {
        let f = try ConfigFixture()
        let outbox = ConfigFixture.outbox.replacingOccurrences(of: "from: \"Teste <a@b.com>\"", with: from)
        let problems = f.problems([ConfigFixture.business, outbox, ConfigFixture.ladders].joined(separator: "\n"))
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
        #expect(!problems.contains { $0.contains("a@") || $0.contains("joão") }, "\(problems)")
    }

    @Test func replyToIsABareAddressCheckedStrictly() throws {
        let f = try ConfigFixture()
        let config = { (replyTo: String) in
            [ConfigFixture.business + "\n  reply_to: \"\(replyTo)\"", ConfigFixture.outbox, ConfigFixture.ladders].joined(separator: "\n")
        }
        #expect(try f.load(config("financeiro@oficina.com.br")).business.replyTo == "financeiro@oficina.com.br")
        #expect(f.problems(config("financeiro@oficina..com.br")).contains { $0.contains("reply_to: not an e-mail address: empty domain label") })
        #expect(f.problems(config("Financeiro <financeiro@oficina.com.br>")).contains { $0.contains("reply_to: not an e-mail address") },
                "the Reply-To header takes the bare address, so a display name here would fail every message")
    }

    @Test func aWindowWiderThanTheLawNeedsAnExplicitOptIn() throws {
        let f = try ConfigFixture()
        let base = [ConfigFixture.business, ConfigFixture.outbox, ConfigFixture.ladders].joined(separator: "\n")
        #expect(f.problems(base + "\nwindow: { sunday: \"09:00-12:00\" }").contains { $0.contains("wider than the legal default") })
        var warnings: [ConfigProblem] = []
        let c = try f.load(base + "\nwindow: { sunday: \"09:00-12:00\" }\nallow_outside_legal_window: true", warnings: &warnings)
        #expect(c.policy.window.days[6] == SendingWindow.Hours(start: 540, end: 720))
        #expect(warnings.contains { $0.isWarning && $0.message.contains("wider than the legal default") })
        #expect(f.problems(base + "\nwindow: { weekdays: \"09:00-18:00\", extra_holidays: [2026-01-25] }").isEmpty, "narrower is always fine")
    }

    @Test func clearTextSMTPOnlyOnLoopback() throws {
        let f = try ConfigFixture()
        let smtp = { (host: String) in
            [ConfigFixture.business, "channels:\n  email: { type: smtp, url: \"smtp://\(host):25\", tls: none, from: \"a@b.com\" }", ConfigFixture.ladders]
                .joined(separator: "\n")
        }
        #expect(f.problems(smtp("127.0.0.1")).isEmpty)
        #expect(f.problems(smtp("mail.example.com")).contains { $0.contains("tls: none sends passwords and personal data in clear text") })
        #expect(f.problems(smtp("127.example.com")).contains { $0.contains("tls: none sends passwords") }, "a name that starts with 127. is not loopback")
    }

    /// `max_connections` sets the SMTP transport's connections and, with them, the e-mail batch.
    @Test func smtpMaxConnectionsDefaultsToFourAndIsBounded() throws {
        let f = try ConfigFixture()
        let smtp = { (extra: String) in
            [ConfigFixture.business, "channels:\n  email: { type: smtp, url: \"smtp://127.0.0.1:25\", tls: none, from: \"a@b.com\"\(extra) }",
             ConfigFixture.ladders].joined(separator: "\n")
        }
        let connections = { (config: LembraConfig) -> Int? in
            if case .smtp(let s)? = config.channels["email"] { s.settings.maxConnections } else { nil }
        }
        #expect(connections(try f.load(smtp(""))) == 4)
        let eight = try f.load(smtp(", max_connections: 8"))
        #expect(connections(eight) == 8)
        let channels = ChannelSet(config: eight)
        defer { channels.close() }
        #expect(channels.lanes("email") == 8, "one lane per connection")
        #expect(channels.batchLimit("email") == 8, "in doubt after a crash: at most 8 e-mails per connection")
        #expect(!f.problems(smtp(", max_connections: 0")).isEmpty)
        #expect(!f.problems(smtp(", max_connections: 65")).isEmpty)
    }

    @Test func templatesAreCheckedForSyntaxAndUnknownVariables() throws {
        let f = try ConfigFixture()
        try f.dir.write("templates/pt-BR/friendly.mustache", "Subject: Oi\n\nOlá {{customer.nome}}\n{{#debts}}\n{{amount}}\n")
        let problems = f.problems([ConfigFixture.business, ConfigFixture.outbox, ConfigFixture.ladders].joined(separator: "\n"))
        #expect(problems == ["3:5: unknown variable 'customer.nome'; did you mean customer.name?",
                             "4:1: the section {{#debts}} is never closed: add {{/debts}} where it ends"], "\(problems)")
    }

    @Test func aMissingTemplateIsAConfigError() throws {
        let f = try ConfigFixture()
        let problems = f.problems([ConfigFixture.business, ConfigFixture.outbox,
                                   "ladders: { forgetful: [ { at: 1d, channel: email, template: nope } ] }"].joined(separator: "\n"))
        #expect(problems.contains("7:61: ladders.forgetful[0].template: no file \(f.dir.path("templates/pt-BR/nope.mustache").path)"),
                "\(problems)")
    }

    @Test func worldReadableSecretsAreRefused() throws {
        let f = try ConfigFixture()
        let secret = try f.dir.write("smtp-password", "hunter2\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: secret.path)
        let yaml = [ConfigFixture.business, ConfigFixture.ladders, """
            channels:
              email: { type: smtp, url: "smtps://mail.example.com:465", username: u, password_file: smtp-password, from: "a@b.com" }
            """].joined(separator: "\n")
        #expect(f.problems(yaml).contains { $0.contains("is readable by every user; chmod o-r it") })
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        let c = try f.load(yaml)
        guard case .smtp(let s)? = c.channels["email"] else { Issue.record("no smtp channel"); return }
        #expect(s.password == "hunter2")
    }
}
