import Foundation
import Testing
import TestSupport

/// `kill -9` at a chosen moment of a batch, with the built binary against the real servers: the
/// next run records what the progress file says of each message. Only the message whose reply
/// was never read may have arrived; those answered are `sent` and not sent again; those never
/// started go out as if nothing happened.
@Suite(.serialized) struct ExactCrashRecordTests {
    static let smsLadders = """
        ladders:
          upcoming: []
          forgetful: [ { at: 1d, channel: sms, template: friendly-sms } ]
          short_delay: [ { at: 6d, channel: sms, template: friendly-sms } ]
          chronic: [ { at: 1d, channel: sms, template: friendly-sms } ]
        """

    /// A fixture whose reminders go to `receiver` over one connection (a batch goes out in order).
    static func smsFixture(_ receiver: WebhookReceiver, secrets: TemporaryDirectory, extraConfig: String = "") throws -> Fixture {
        let secret = try secrets.write("sms-secret", receiver.secret)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        return try Fixture(ladders: smsLadders, extraChannels: """
              sms: { type: webhook, url: "\(receiver.url)", secret_file: "\(secret.path)", timeout: 90s, max_connections: 1 }
            """, extraConfig: extraConfig)
    }

    /// Starts `run --once`, waits until `condition` (the server holds a message) and kills it.
    static func kill(_ f: Fixture, when condition: () -> Bool) throws {
        let run = try f.start("run", "--once")
        let reached = RunningLembra.waitUntil(timeout: 30) { condition() || !run.process.isRunning }
        #expect(reached && run.process.isRunning, "\(run.stderr)")
        run.signal(SIGKILL)
        _ = run.wait()
    }

    /// One connection takes a batch of 8 of the 12 reminders; the relay answers 3, then holds the
    /// reply to the 4th's final dot when the process is killed. The next run records the 3 as
    /// sent (not re-sent), the 4th in doubt, and sends the 4 never started with the other 4.
    @Test func aKillLeavesOnlyTheMessageOnTheWireInDoubt() throws {
        let f = try Fixture(smtp: SMTPTestServer(stall: 60, stallNth: 4), smtpConnections: 1)
        try f.importCustomersWithOneDebtEach(12)
        try Self.kill(f) { f.smtp.log.contains("stalling message 4") }
        let answered = try f.received().compactMap { $0["to"] }
        #expect(answered.count == 3)

        let rerun = try f.lembra("run", "--once")
        #expect(rerun.status == 0, "\(rerun)")
        #expect(rerun.stderr.contains("event=recovered attempts=8 progress=trusted recorded=3 requeued=4 resent=0 in_doubt=1"), "\(rerun.stderr)")
        let status = try f.lembra("status").stdout
        #expect(CrashRecoveryTests.number(after: "in_doubt ", in: status) == 1, "\(status)")
        #expect(CrashRecoveryTests.number(after: "sent ", in: status) == 11, "\(status)")
        #expect(CrashRecoveryTests.number(after: "claimed ", in: status) == 0 && CrashRecoveryTests.number(after: "sending ", in: status) == 0)

        let recipients = try f.received().compactMap { $0["to"] }
        #expect(recipients.count == 11, "3 before the kill, 8 after: none twice, the one in doubt not again")
        #expect(Set(recipients).count == recipients.count, "duplicates: \(recipients)")
        #expect(Array(recipients.prefix(3)) == answered)
        let doubted = try #require(status.split(separator: "\n").first { $0.hasPrefix("  att_") })
        let customer = try #require(doubted.split(separator: " ").first { $0.hasPrefix("customer=") }?.dropFirst("customer=".count))
        #expect(!recipients.contains { $0.contains("<\(customer)@") }, "the message in doubt is the one held, not re-sent")
        #expect(doubted.contains("reason=\"interrupted_mid_send\""), "\(doubted)")
    }

    /// Webhooks: the 3 requests answered 2xx before the kill are `sent` and never sent again; the
    /// one the receiver was holding is re-sent under its own `webhook-id` (receivers deduplicate),
    /// the 4 never started go out once.
    @Test func aKillDoesNotResendWebhooksAlreadyAnswered() throws {
        let receiver = try WebhookReceiver(stall: 60, stallNth: 4)
        let secrets = try TemporaryDirectory()
        let f = try Self.smsFixture(receiver, secrets: secrets)
        try f.importCustomersWithOneDebtEach(8)
        try Self.kill(f) { receiver.log.contains("stalling request 4") }
        let before = try receiver.requests().map(\.id)
        #expect(before.count == 4)

        let rerun = try f.lembra("run", "--once")
        #expect(rerun.status == 0, "\(rerun)")
        let ids = try receiver.requests().map(\.id)
        let perID = Dictionary(grouping: ids, by: { $0 }).mapValues(\.count)
        #expect(ids.count == 9, "\(ids)")
        #expect(before.prefix(3).allSatisfy { perID[$0] == 1 }, "answered 2xx: never re-sent")
        #expect(perID[before[3]] == 2, "the one on the wire is re-sent with the same webhook-id")
        #expect(perID.count == 8)
        let status = try f.lembra("status").stdout
        #expect(CrashRecoveryTests.number(after: "sent ", in: status) == 8 && CrashRecoveryTests.number(after: "in_doubt ", in: status) == 0, "\(status)")
    }

    /// A thank-you charges nothing: one cut short by a kill is sent again (same Message-ID), never
    /// left in doubt.
    @Test func aThankYouCutShortByAKillIsResent() throws {
        let f = try Fixture(smtp: SMTPTestServer(stall: 60, stallNth: 1), smtpConnections: 1)
        try f.importCustomersWithOneDebtEach(1)
        #expect(try f.lembra("pay", "d0").status == 0)
        try Self.kill(f) { f.smtp.log.contains("stalling message 1") }

        let rerun = try f.lembra("run", "--once")
        #expect(rerun.status == 0, "\(rerun)")
        let status = try f.lembra("status").stdout
        #expect(CrashRecoveryTests.number(after: "in_doubt ", in: status) == 0, "\(status)")
        #expect(CrashRecoveryTests.number(after: "sent ", in: status) == 1, "\(status)")
        let history = try f.lembra("history", "c0").stdout
        #expect(history.contains("state=sent") && !history.contains("state=in_doubt"), "\(history)")
        let resent = try #require(try f.received().first)
        #expect(resent["message-id"]?.hasPrefix("<att_") == true && history.contains(String(resent["message-id"]!.dropFirst().prefix { $0 != "@" })),
                "re-sent under its own Message-ID")
    }

    /// Without a trusted progress file (here: removed, as after a reboot) the batch rule applies:
    /// every message of the batch may have arrived and is in doubt, none is re-sent.
    @Test func withoutAProgressFileTheBatchIsInDoubt() throws {
        let f = try Fixture(smtp: SMTPTestServer(stall: 60, stallNth: 4), smtpConnections: 1)
        try f.importCustomersWithOneDebtEach(12)
        try Self.kill(f) { f.smtp.log.contains("stalling message 4") }
        try FileManager.default.removeItem(at: f.dir.path("lembra.sqlite.progress"))

        let rerun = try f.lembra("run", "--once")
        #expect(rerun.stderr.contains("progress=untrusted_missing"), "\(rerun.stderr)")
        let status = try f.lembra("status").stdout
        #expect(CrashRecoveryTests.number(after: "in_doubt ", in: status) == 8, "\(status)")
        #expect(try f.received().count == 3 + 4, "the 4 not in the batch go out; nothing of the batch again")
    }

    /// A webhook whose receiver read the request and hung up without a reply may have it: the
    /// retry is remembered so, and a pause that cancels it keeps its step, which is never planned
    /// again under a new `webhook-id` once the pause ends.
    @Test func aWebhookWithoutAReplyKeepsItsStepWhenItsRetryIsCancelled() throws {
        let receiver = try WebhookReceiver(drop: true)
        let secrets = try TemporaryDirectory()
        let f = try Self.smsFixture(receiver, secrets: secrets, extraConfig: "limits: { min_gap: 0s, per_customer_per_week: 0 }")
        try f.importCustomersWithOneDebtEach(1)
        let first = try f.lembra("run", "--once")
        #expect(first.stderr.contains("event=retry") && first.stderr.contains("step=request"), "\(first.stderr)")
        #expect(try f.lembra("pause", "c0", "--reason", "negotiating").status == 0)
        #expect(try f.lembra("resume", "c0").status == 0)

        let later = try f.lembra("run", "--once", now: "2026-11-18T11:00:00-03:00")
        #expect(later.status == 0, "\(later)")
        #expect(Set(try receiver.requests().map(\.id)).count == 1, "the step went out under one webhook-id only\n\(later.stderr)")
        let history = try f.lembra("history", "c0").stdout
        #expect(history.contains("state=cancelled tries=1 reason=paused"), "\(history)")
    }
}
