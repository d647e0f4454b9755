import Foundation
@testable import LembraDaemon
import Testing

/// Values that parse but make no sense are refused where they are written (line, column and
/// key), once per problem: negative durations, a currency that isn't a code, a step on a
/// channel that doesn't exist, a webhook without its secret.
struct ConfigValueTests {
    static func config(_ parts: String...) -> String {
        ([ConfigFixture.business] + parts).joined(separator: "\n")
    }

    static let smtp = """
        channels:
          email: { type: smtp, url: "smtp://127.0.0.1:25", tls: none, from: "a@b.com", timeout: 30s }
        """

    @Test(arguments: [
        ("limits: { min_gap: -5h }", "5:20: limits.min_gap: must not be negative: 0s or more, like 48h, got '-5h'"),
        ("retry: { base_delay: -5m }", "5:22: retry.base_delay: must be more than zero, like 30s, 5m, 48h or 7d, got '-5m'"),
        ("retry: { max_delay: 0s }", "5:21: retry.max_delay: must be more than zero, like 30s, 5m, 48h or 7d, got '0s'"),
        ("shutdown_timeout: -3s", "5:19: shutdown_timeout: must be more than zero, like 30s, 5m, 48h or 7d, got '-3s'"),
        (#"payment_link: { kind: url, template: "https://p.example/{{debt.id}}", expires_in: -30d }"#,
         "5:83: payment_link.expires_in: must be more than zero, like 30s, 5m, 48h or 7d, got '-30d'"),
    ])
    func durationsThatMustBePositiveAreRefusedAtTheirKey(line: String, problem: String) throws {
        let f = try ConfigFixture()
        let problems = f.problems(Self.config(line, ConfigFixture.outbox, ConfigFixture.ladders))
        #expect(problems.filter { !$0.contains("links are not signed") } == [problem], "\(problems)")
    }

    /// Durations past what the code can compute with stopped the daemon (`tick`) or every tick
    /// (`expires_in`); every duration key has a documented maximum (`ConfigLimits`).
    @Test(arguments: [
        ("tick: 99999999999999999999d", "5:7: tick: must be at most 1d, got '99999999999999999999d'"),
        ("tick: 25h", "5:7: tick: must be at most 1d, got '25h'"),
        ("tick: 0.5s", "5:7: tick: must be at least 1s"),
        ("limits: { min_gap: 8d }", "5:20: limits.min_gap: must be at most 7d, got '8d'"),
        ("retry: { base_delay: 2d }", "5:22: retry.base_delay: must be at most 1d, got '2d'"),
        ("retry: { max_delay: 1e300s }", "5:21: retry.max_delay: must be at most 7d, got '1e300s'"),
        ("shutdown_timeout: 99999999d", "5:19: shutdown_timeout: must be at most 1h, got '99999999d'"),
        (#"payment_link: { kind: url, template: "https://p.example/{{debt.id}}", expires_in: 99999999999999999999d }"#,
         "5:83: payment_link.expires_in: must be at most 365d, got '99999999999999999999d'"),
        ("tick: 1e400d", "5:7: tick: expected a duration like 30s, 5m, 48h or 7d, got '1e400d'"),
    ])
    func durationsPastTheirMaximumAreRefusedAtTheirKey(line: String, problem: String) throws {
        let f = try ConfigFixture()
        let problems = f.problems(Self.config(line, ConfigFixture.outbox, ConfigFixture.ladders))
        #expect(problems.filter { !$0.contains("links are not signed") } == [problem], "\(problems)")
    }

    @Test func theMaximumsThemselvesAreAccepted() throws {
        let f = try ConfigFixture()
        let c = try f.load(Self.config(ConfigFixture.outbox, ConfigFixture.ladders, """
            tick: 1d
            limits: { min_gap: 7d }
            retry: { base_delay: 1d, max_delay: 7d }
            shutdown_timeout: 1h
            payment_link: { kind: url, template: "https://p.example/{{debt.id}}", expires_in: 365d }
            """))
        #expect(c.tick == 86_400 && c.policy.limits.minGap == 7 * 86_400 && c.shutdownTimeout == 3_600)
        #expect(c.retry.baseDelay == 86_400 && c.retry.maxDelay == 7 * 86_400)
        #expect(c.paymentLink.map { if case .url(_, _, let e) = $0 { e == 365 * 86_400 } else { false } } == true)
    }

    /// A step thousands of years from its due date overflowed the calendar in every tick and preview.
    @Test func ladderDaysPastTenYearsAreRefusedAtTheirKey() throws {
        let f = try ConfigFixture()
        let problems = f.problems(Self.config(ConfigFixture.outbox, """
            ladders:
              upcoming: [ { at: -9223372036854775808d, channel: email, template: friendly } ]
              forgetful:
                - { at: 3651d, channel: email, template: friendly }
                - { at: 1d, channel: email, template: friendly, id: again, repeat: 9223372036854775807d }
                - { at: 3650d, channel: email, template: friendly, id: last, repeat: 3650d }
            on_paid: [ { channel: email, template: friendly } ]
            """))
        #expect(problems == [
            "8:21: ladders.upcoming[0].at: expected at most 3650d (ten years) either way, got '-9223372036854775808d'",
            "10:13: ladders.forgetful[0].at: expected at most 3650d (ten years) either way, got '3651d'",
            "11:72: ladders.forgetful[1].repeat: expected at most 3650d (ten years) either way, got '9223372036854775807d'",
        ], "\(problems)")
    }

    /// A rate near zero spaced messages further apart than the pacing arithmetic holds, and
    /// stopped every tick.
    @Test(arguments: ["0.000000000001", "0.009", "0", "10001", "nan", "inf"])
    func aRateOutsideItsRangeIsRefusedAtTheKey(rate: String) throws {
        let f = try ConfigFixture()
        let channel = Self.smtp.replacingOccurrences(of: "timeout: 30s", with: "rate: \(rate)")
        let problems = f.problems(Self.config(channel, ConfigFixture.ladders))
        #expect(problems.count == 1 && problems[0].hasPrefix("6:") && problems[0].contains(
            "channels.email.rate: expected messages per second, from 0.01 (one every 100 s) to 10000, like 10 or 0.5, got '\(rate)'"),
                "\(problems)")
    }

    @Test func aZeroMinimumGapIsAllowed() throws {
        let f = try ConfigFixture()
        #expect(try f.load(Self.config(ConfigFixture.outbox, ConfigFixture.ladders, "limits: { min_gap: 0s }")).policy.limits.minGap == 0)
    }

    @Test(arguments: [
        ("timeout: -30s", "channels.email.timeout: must be more than zero"),
        ("timeout: 0s", "channels.email.timeout: must be more than zero"),
        ("connect_timeout: -1s", "channels.email.connect_timeout: must be more than zero"),
        ("timeout: 2d", "channels.email.timeout: must be less than 1d, got '2d'"),
    ])
    func smtpTimeoutsAreCheckedAtTheirKey(setting: String, problem: String) throws {
        let f = try ConfigFixture()
        let channel = Self.smtp.replacingOccurrences(of: "timeout: 30s", with: setting)
        let problems = f.problems(Self.config(channel, ConfigFixture.ladders))
        #expect(problems.count == 1 && problems[0].hasPrefix("6:") && problems[0].contains(problem), "\(problems)")
    }

    /// What the SMTP transport would refuse at the first send is refused by check-config.
    @Test func smtpSettingsTheTransportRefusesAreRefusedAtLoad() throws {
        let f = try ConfigFixture()
        let channel = Self.smtp.replacingOccurrences(of: "smtp://127.0.0.1:25", with: "smtp://127.0.0.1:25/some/path")
        let problems = f.problems(Self.config(channel, ConfigFixture.ladders))
        #expect(problems == ["6:10: channels.email: smtp url must not carry a path, query or credentials; use username and password_file"],
                "\(problems)")
    }

    @Test func webhookTimeoutsAreCheckedAtTheirKeyOnce() throws {
        let f = try ConfigFixture()
        let secret = try f.dir.write("hook-secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        let problems = f.problems(Self.config(ConfigFixture.outbox
            + "\n  sms: { type: webhook, url: \"http://127.0.0.1:9/x\", secret_file: hook-secret, timeout: -2s }", ConfigFixture.ladders))
        #expect(problems == ["7:89: channels.sms.timeout: must be more than zero, like 30s, 5m, 48h or 7d, got '-2s'"], "\(problems)")
    }

    @Test(arguments: ["reais", "brl", "R$", "BRLL", "BR1"])
    func theCurrencyMustBeAnISOCode(currency: String) throws {
        let f = try ConfigFixture()
        let problems = f.problems(Self.config("currency: \"\(currency)\"", ConfigFixture.outbox, ConfigFixture.ladders))
        #expect(problems == ["5:11: currency: expected an ISO 4217 currency code of three capital letters, like BRL, got '\(currency)'"],
                "\(problems)")
    }

    @Test func aCurrencyCodeIsAccepted() throws {
        let f = try ConfigFixture()
        #expect(try f.load(Self.config(ConfigFixture.outbox, ConfigFixture.ladders, "currency: USD")).currency == "USD")
    }

    @Test func aStepOnAnUnknownChannelIsReportedAtTheStep() throws {
        let f = try ConfigFixture()
        let problems = f.problems(Self.config(ConfigFixture.outbox, """
            ladders:
              upcoming: []
              forgetful:
                - { at: 1d, channel: email, template: friendly }
                - { at: 4d, channel: whatsapp, template: friendly }
            on_paid: [ { channel: email, template: friendly } ]
            """))
        #expect(problems == ["11:26: ladders.forgetful[1].channel: unknown channel 'whatsapp'; channels: defines email"], "\(problems)")
    }

    /// A secret file that isn't there is one problem, not also a malformed secret, and the
    /// steps on that channel are not also reported as naming an unknown one.
    @Test func aMissingWebhookSecretIsOneProblem() throws {
        let f = try ConfigFixture()
        let problems = f.problems(Self.config(ConfigFixture.outbox
            + "\n  sms: { type: webhook, url: \"http://127.0.0.1:9/x\", secret_file: nonexistent-secret }", """
            ladders:
              upcoming: []
              forgetful: [ { at: 1d, channel: sms, template: friendly } ]
            on_paid: [ { channel: email, template: friendly } ]
            """))
        #expect(problems.count == 1 && problems[0].hasPrefix("7:67: channels.sms.secret_file: secret file not found"), "\(problems)")
    }
}
