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
}
