import Foundation
import Testing
import TestSupport

/// Bad input gets a clear message naming file, row/line and field, and changes nothing.
struct BadInputTests {
    @Test func malformedCSVChangesNothingAndNamesTheRow() throws {
        let f = try Fixture()
        #expect(try f.lembra("import", "customers", f.csv("c.csv", "id,name,email\nc1,Ana,ana@example.com\nc2,Bia,bia@example.com\n")).status == 0)
        let bad = try f.csv("debts.csv", """
            id,customer_id,amount,due_date
            d1,c1,10.00,2026-11-17
            d2,c2,1.234,2026-11-17
            d3,c9,5.00,2026-02-30
            """)
        let result = try f.lembra("import", "debts", bad)
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(bad):3: amount: at most two decimals (cents)"), "\(result)")
        #expect(result.stderr.contains("\(bad):4: due_date: 2026-02-30 is not a date: February 2026 has 28 days"), "\(result)")
        #expect(result.stderr.contains("nothing imported"))
        let status = try f.lembra("status")
        #expect(status.stdout.contains("(none)"), "the good row d1 must not be imported either\n\(status)")
    }

    @Test func unknownCustomerRejectsTheWholeFile() throws {
        let f = try Fixture()
        #expect(try f.lembra("import", "customers", f.csv("c.csv", "id,name,email\nc1,Ana,ana@example.com\n")).status == 0)
        let bad = try f.csv("debts.csv", "id,customer_id,amount,due_date\nd1,c1,10.00,2026-11-17\nd2,nobody,10.00,2026-11-17\n")
        let result = try f.lembra("import", "debts", bad)
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(bad):3: customer_id: no customer 'nobody'"), "\(result)")
        #expect(try f.lembra("status").stdout.contains("(none)"))
    }

    @Test func brokenConfigNamesTheLine() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("bad.yaml", """
            database: /tmp/x.sqlite
            business:
              name: Oficina
              document: 11.111.111/1111-11
              address: Rua 1
            tick: soon
            channels:
              email: { type: smtp, url: "smtp://mail.example.com:25", tls: none, from: "a@b.com" }
            windw: {}
            """).path
        let result = try LembraBinary.run(["check-config", "--config", path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("\(path):4:13: business.document: CNPJ check digits do not match"), "\(result)")
        #expect(result.stderr.contains("\(path):6:7: tick: expected a duration"), "\(result)")
        #expect(result.stderr.contains("tls: none sends passwords and personal data in clear text"), "\(result)")
        #expect(result.stderr.contains("\(path):9:1: windw: unknown key"), "\(result)")
    }

    /// Values that parse but make no sense: each refused once, where it is written.
    @Test func nonsenseValuesAreRefusedWhereTheyAreWritten() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("bad.yaml", """
            currency: reais
            business: { name: Oficina, document: 11.222.333/0001-81, address: Rua 1 }
            limits: { min_gap: -5h }
            templates: \(RepositoryPaths.root.appendingPathComponent("config/templates").path)
            ladders:
              upcoming: []
              forgetful:
                - { at: 1d, channel: email, template: friendly }
                - { at: 4d, channel: whatsapp, template: friendly-sms }
            on_paid: [ { channel: email, template: thanks } ]
            channels:
              email: { type: smtp, url: "smtp://127.0.0.1:25", tls: none, from: "a@b.com", timeout: -30s }
              sms: { type: webhook, url: "http://127.0.0.1:9/x", secret_file: missing-secret }
            """).path
        let result = try LembraBinary.run(["check-config", "--config", path])
        #expect(result.status == 78)
        let problems = result.stderr.split(separator: "\n").filter { !$0.contains("warning:") }
        #expect(problems.count == 5, "one line per problem: \(result)")
        #expect(result.stderr.contains("\(path):1:11: currency: expected an ISO 4217 currency code"), "\(result)")
        #expect(result.stderr.contains("\(path):3:20: limits.min_gap: must not be negative"), "\(result)")
        #expect(result.stderr.contains("\(path):9:26: ladders.forgetful[1].channel: unknown channel 'whatsapp'"), "\(result)")
        #expect(result.stderr.contains("\(path):12:89: channels.email.timeout: must be more than zero"), "\(result)")
        #expect(result.stderr.contains("\(path):13:67: channels.sms.secret_file: secret file not found"), "\(result)")
    }

    @Test func yamlSyntaxErrorNamesTheLine() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("bad.yaml", "business:\n  name: [unclosed\n").path
        let result = try LembraBinary.run(["check-config", "--config", path])
        #expect(result.status == 78)
        #expect(result.stderr.hasPrefix("\(path):"), "\(result)")
    }

    @Test func missingConfigFileIsAConfigError() throws {
        let result = try LembraBinary.run(["status", "--config", "/nonexistent/lembra.yaml"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("/nonexistent/lembra.yaml:1:1: cannot read the file"))
    }
}
