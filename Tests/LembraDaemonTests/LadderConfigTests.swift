import Foundation
import LembraCore
@testable import LembraDaemon
import Testing
import TestSupport

/// Which days a ladder's `at:` may name: a step on the due date itself (`0d`, "vence hoje") in
/// any ladder; before it only under `upcoming:`, after it only in the segment ladders.
struct LadderConfigTests {
    static func config(_ ladders: String) -> String {
        [ConfigFixture.business, ConfigFixture.outbox, "ladders:", ladders,
         "on_paid: [ { channel: email, template: friendly } ]"].joined(separator: "\n")
    }

    @Test func aStepOnTheDueDateIsAllowedInEveryLadder() throws {
        let f = try ConfigFixture()
        let c = try f.load(Self.config("""
              upcoming:  [ { at: -3d, channel: email, template: friendly }, { at: 0d, channel: email, template: friendly } ]
              forgetful: [ { at: 1d, channel: email, template: friendly } ]
              short_delay: [ { at: 0d, channel: email, template: friendly } ]
              chronic:   [ { at: 0d, channel: email, template: friendly }, { at: 1d, channel: email, template: friendly } ]
            """))
        #expect(c.policy.upcoming.steps.map(\.id) == ["upcoming.-3d", "upcoming.0d"])
        #expect(c.policy.ladders["chronic"]?.steps.map(\.id) == ["chronic.0d", "chronic.1d"])
        #expect(c.policy.ladders["short_delay"]?.steps.map(\.at) == [0])
    }

    @Test func upcomingEndsOnTheDueDateAndSegmentLaddersStartOnIt() throws {
        let f = try ConfigFixture()
        let problems = f.problems(Self.config("""
              upcoming:  [ { at: 1d, channel: email, template: friendly } ]
              forgetful: [ { at: -1d, channel: email, template: friendly } ]
            """))
        #expect(problems.contains("8:22: ladders.upcoming[0].at: upcoming steps come before the due date or on it: use 0d (the due date) "
                                  + "or a negative day like -3d"), "\(problems)")
        #expect(problems.contains("9:22: ladders.forgetful[0].at: segment ladders start on the due date (0d) or after it "
                                  + "(1d is the first day overdue); put earlier steps under upcoming:"), "\(problems)")
    }

    /// Without `ladders:`, the defaults end the upcoming ladder on the due date.
    @Test func theDefaultLaddersRemindOnTheDueDate() throws {
        let f = try ConfigFixture()
        let secret = try f.dir.write("hook-secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        let c = try f.load([ConfigFixture.business, """
            channels:
              email: { type: outbox, path: out, from: "Teste <a@b.com>" }
              sms:   { type: webhook, url: "http://127.0.0.1:9/sms", secret_file: hook-secret }
              crm:   { type: webhook, url: "http://127.0.0.1:9/crm", secret_file: hook-secret, handoff: true }
            templates: \(RepositoryPaths.root.appendingPathComponent("config/templates").path)
            """].joined(separator: "\n"))
        #expect(c.policy.upcoming.steps.map(\.id) == ["upcoming.-3d", "upcoming.0d"])
        #expect(c.policy.upcoming.steps.last?.template == "due-today")
    }

    static let shippedTemplates = "templates: \(RepositoryPaths.root.appendingPathComponent("config/templates").path)"

    /// `ladder: [step id, channel, template]` of every ladder, for comparing a whole policy at once.
    static func steps(_ c: LembraConfig) -> [String: [String]] {
        (c.policy.ladders.merging(["upcoming": c.policy.upcoming, "on_paid": c.policy.onPaid]) { a, _ in a })
            .mapValues { $0.steps.map { "\($0.id) \($0.channel) \($0.template)" + ($0.repeatEvery.map { " every \($0)d" } ?? "") } }
    }

    /// A business with one e-mail channel and no ladders of its own gets a complete policy, every
    /// step by e-mail (the defaults used to name `sms` and `crm` channels it did not have, so such
    /// a config was refused).
    @Test func withOnlyAnEmailChannelTheDefaultLaddersUseOnlyEmail() throws {
        let f = try ConfigFixture()
        let c = try f.load([ConfigFixture.business, ConfigFixture.outbox, Self.shippedTemplates].joined(separator: "\n"))
        #expect(Self.steps(c) == [
            "upcoming": ["upcoming.-3d email upcoming", "upcoming.0d email due-today"],
            "forgetful": ["forgetful.1d email friendly", "forgetful.4d email second-notice"],
            "short_delay": ["short_delay.6d email second-notice", "short_delay.15d email offer every 7d"],
            "chronic": ["chronic.1d email firm", "chronic.10d email offer"],
            "on_paid": ["on_paid.thanks email thanks"],
        ])
    }

    /// An `sms` channel carries the forgetful ladder's second reminder, a `crm` channel a call
    /// task for chronic payers; the rest stays e-mail.
    @Test func configuredSMSAndCRMChannelsJoinTheDefaultLadders() throws {
        let f = try ConfigFixture()
        let secret = try f.dir.write("hook-secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        let sms = "  sms:   { type: webhook, url: \"http://127.0.0.1:9/sms\", secret_file: hook-secret }"
        let crm = "  crm:   { type: webhook, url: \"http://127.0.0.1:9/crm\", secret_file: hook-secret, handoff: true }"
        let withSMS = try f.load([ConfigFixture.business, ConfigFixture.outbox, sms, Self.shippedTemplates].joined(separator: "\n"))
        #expect(Self.steps(withSMS)["forgetful"] == ["forgetful.1d email friendly", "forgetful.4d sms friendly-sms"])
        #expect(Self.steps(withSMS)["chronic"] == ["chronic.1d email firm", "chronic.10d email offer"])
        let withCRM = try f.load([ConfigFixture.business, ConfigFixture.outbox, crm, Self.shippedTemplates].joined(separator: "\n"))
        #expect(Self.steps(withCRM)["forgetful"] == ["forgetful.1d email friendly", "forgetful.4d email second-notice"])
        #expect(Self.steps(withCRM)["chronic"] == ["chronic.1d email firm", "chronic.3d crm call-task", "chronic.10d email offer"])
    }

    /// Without a channel named `email`, the defaults can't go out: one problem at `channels:`
    /// naming every default step that sends on it.
    @Test func theDefaultStepsOnAMissingChannelAreNamed() throws {
        let f = try ConfigFixture()
        let problems = f.problems([ConfigFixture.business, """
            channels:
              mail: { type: outbox, path: out, from: "Teste <a@b.com>" }
            """, Self.shippedTemplates].joined(separator: "\n"))
        #expect(problems == ["6:3: channels: no channel 'email', which the built-in default steps chronic.1d, chronic.10d, forgetful.1d, "
                             + "forgetful.4d, on_paid.thanks, short_delay.6d, short_delay.15d, upcoming.-3d, upcoming.0d send on: "
                             + "name your e-mail channel 'email', or write ladders: and on_paid: of your own (see lembra.example.yaml)"],
                "\(problems)")
        // Ladders of its own, without on_paid: only the default thank-you is named.
        let onPaid = f.problems([ConfigFixture.business, """
            channels:
              mail: { type: outbox, path: out, from: "Teste <a@b.com>" }
            ladders:
              forgetful: [ { at: 1d, channel: mail, template: friendly } ]
            """].joined(separator: "\n"))
        #expect(onPaid.contains { $0.hasPrefix("6:3: channels: no channel 'email', which the built-in default steps on_paid.thanks send on") },
                "\(onPaid)")
    }
}
