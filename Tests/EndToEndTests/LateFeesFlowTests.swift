import Foundation
import Testing
import TestSupport

/// Late fees through the built binary: the e-mail a real SMTP server receives shows the original
/// amount and the amount due on the day it was written, its Pix code asks for the latter (and
/// decodes under an independent decoder), a retry on a later day sends the same message, and
/// `check-config` and a reload refuse a fine above the legal 2%.
struct LateFeesFlowTests {
    static let lateFees = "late_fees: { fine: 2%, interest_per_month: 1%, grace_days: 0 }"
    static let pix = "payment_link: { kind: pix, key: 11.222.333/0001-81, merchant_name: Oficina Teste, merchant_city: São Paulo }"
    /// One step only, so a later run has nothing new to send.
    static let ladders = """
        ladders:
          upcoming:    []
          forgetful:   [ { at: 1d, channel: email, template: friendly } ]
          short_delay: [ { at: 6d, channel: email, template: friendly } ]
          chronic:     [ { at: 1d, channel: email, template: friendly } ]
        """
    /// Due Sunday 15/11/2026: three days late on `Fixture.wednesday`.
    static let debts = "id,customer_id,amount,due_date\nd1,c1,100.00,2026-11-15\n"
    static let line = "Valor original R$ 100,00; com multa (R$ 2,00) e juros (R$ 0,10) até hoje, 18/11/2026: R$ 102,10"

    func importOneDebt(_ f: Fixture) throws {
        #expect(try f.lembra("import", "customers", f.csv("c.csv", "id,name,email\nc1,Ana,ana@example.com\n")).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", Self.debts)).status == 0)
    }

    /// The Pix code of an e-mail, decoded by starkbank-brcode (`Tests/servers/check_brcode.py`).
    func decodedPix(_ mail: ParsedEmail) throws -> [String: Any] {
        let line = try #require(mail.body.split(separator: "\n").first { $0.contains("Pix copia e cola: ") })
        let code = String(line.split(separator: ": ", maxSplits: 1)[1])
        try ShellCommand.run(URL(fileURLWithPath: "/bin/bash"), [RepositoryPaths.root.appendingPathComponent("scripts/brcode-venv.sh").path])
        let json = try ShellCommand.run(RepositoryPaths.root.appendingPathComponent(".venv-brcode/bin/python"),
                                        [RepositoryPaths.servers.appendingPathComponent("check_brcode.py").path], input: Data((code + "\n").utf8))
        return try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]]).first ?? [:]
    }

    @Test func theEmailShowsBothAmountsAndThePixCodeAsksForTheAmountDueToday() throws {
        let f = try Fixture(paymentLink: Self.pix, ladders: Self.ladders, extraConfig: Self.lateFees)
        try importOneDebt(f)
        #expect(try f.lembra("run", "--once").status == 0)
        let mail = try #require(try f.received().first)
        #expect(mail.body.contains("R$ 100,00, venceu em 15/11/2026\n    \(Self.line)\n"), "\(mail.body)")
        let pix = try decodedPix(mail)
        #expect(pix["crc_valid"] as? Bool == true, "\(pix)")
        #expect(pix["amount"] as? String == "102.10", "\(pix)")
    }

    /// Without `late_fees` the same debt's e-mail shows one amount, and its Pix code asks for it.
    @Test func withoutLateFeesTheEmailIsAsBefore() throws {
        let f = try Fixture(paymentLink: Self.pix, ladders: Self.ladders)
        try importOneDebt(f)
        #expect(try f.lembra("run", "--once").status == 0)
        let mail = try #require(try f.received().first)
        #expect(!mail.body.contains("multa") && !mail.body.contains("102,10"), "\(mail.body)")
        #expect(try decodedPix(mail)["amount"] as? String == "100.00")
    }

    /// The message is written once, when it is claimed, and stored with the claim: refused with a
    /// 451 on Wednesday and sent on Thursday, it still says Wednesday's amount (and the date it
    /// was worked out), rather than changing under the same attempt.
    @Test func aRetryOnALaterDaySendsTheAmountOfTheDayItWasWritten() throws {
        let f = try Fixture(smtp: try SMTPTestServer(replyCode: 451, faultCount: 1), paymentLink: Self.pix, ladders: Self.ladders,
                            extraConfig: Self.lateFees)
        try importOneDebt(f)
        #expect(try f.lembra("run", "--once").status == 0)
        #expect(try f.received().isEmpty)
        let thursday = try f.lembra("run", "--once", now: "2026-11-19T10:00:00-03:00")
        #expect(thursday.status == 0, "\(thursday)")
        let mails = try f.received()
        #expect(mails.count == 1)
        let mail = try #require(mails.first)
        #expect(mail.body.contains(Self.line), "\(mail.body)")
        #expect(try decodedPix(mail)["amount"] as? String == "102.10")
    }

    @Test func checkConfigRefusesAFineAboveTwoPercent() throws {
        let f = try Fixture(extraConfig: "late_fees: { fine: 10%, interest_per_month: 1% }")
        let lines = try String(contentsOfFile: f.configPath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex { $0.contains("late_fees:") }) + 1
        let result = try f.lembra("check-config")
        #expect(result.status == 78)
        #expect(result.stderr.contains("\(f.configPath):\(line):20: late_fees.fine: must be at most 2% (CDC art. 52 §1"), "\(result)")
    }

    /// The example config's commented `late_fees:` block, uncommented, is a valid config.
    @Test func theExampleConfigsLateFeesBlockIsValid() throws {
        let example = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("config/lembra.example.yaml"), encoding: .utf8)
        let lines = example.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0 == "# late_fees:" })
        let block = lines[start...].prefix { $0.hasPrefix("#") }.map { String($0.dropFirst(2)) }
        #expect(block.count == 4, "\(block)")
        let f = try Fixture(extraConfig: block.joined(separator: "\n"))
        let result = try f.lembra("check-config")
        #expect(result.status == 0, "\(result)")
    }

    /// A reload with a fine above the legal limit is refused; the daemon runs on with the old config.
    @Test func aReloadWithAFineAboveTwoPercentKeepsTheOldConfig() throws {
        let f = try Fixture(extraConfig: Self.lateFees)
        let daemon = try f.start("run")
        defer { if daemon.process.isRunning { daemon.signal(SIGKILL) } }
        #expect(RunningLembra.waitUntil { daemon.stderr.contains("event=tick ") }, "\(daemon.stderr)")
        let good = try String(contentsOfFile: f.configPath, encoding: .utf8)
        try good.replacingOccurrences(of: "fine: 2%", with: "fine: 5%").write(toFile: f.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(RunningLembra.waitUntil { daemon.stderr.contains("event=reload_rejected") }, "\(daemon.stderr)")
        #expect(daemon.stderr.contains("late_fees.fine: must be at most 2%"), "\(daemon.stderr)")
        #expect(daemon.process.isRunning)
        daemon.signal(SIGTERM)
        #expect(daemon.wait().status == 0)
    }
}
