import Foundation
import Testing
import TestSupport

/// A retry waiting in the ledger obeys what a new reminder obeys, on the built binary and a real
/// Standard Webhooks receiver: never outside the sending window (CDC art. 71), never after the
/// customer paused or opted out (LGPD) or the debt was disputed.
extension WebhookFlowTests {
    /// The reviewer's repro: 500 at 19:58, retry due at about 20:03, a tick at 23:30.
    @Test func aRetryWaitsForTheNextWindowOpening() throws {
        let sms = try WebhookReceiver(failFirst: 1), crm = try WebhookReceiver()
        let secrets = try TemporaryDirectory()
        let f = try fixture(sms: sms, crm: crm, secrets: secrets)
        let first = try f.lembra("run", "--once", now: "2026-11-18T19:58:00-03:00")
        #expect(first.stderr.contains("event=retry"), "\(first)")
        // The log's times are the business's, with the offset: the tick's, and the retry's
        // (a few minutes later, with jitter).
        #expect(first.stderr.contains("event=tick at=2026-11-18T19:58:00-03:00 "), "\(first)")
        #expect(first.stderr.contains(#/event=retry .* next=2026-11-18T20:0\d:\d\d-03:00 /#), "\(first)")

        let night = try LembraBinary.run(["--utc", "run", "--once", "--config", f.configPath, "--now", "2026-11-18T23:30:00-03:00"])
        #expect(night.status == 0, "\(night)")
        #expect(night.stderr.contains("event=tick at=2026-11-19T02:30:00Z ") && night.stderr.contains("until=2026-11-19T11:00:00Z"),
                "--utc, before the subcommand\n\(night)")
        #expect(night.stderr.contains("event=deferred") && night.stderr.contains("reason=outside_window"), "\(night)")
        #expect(night.stdout.contains("sent=0") && night.stdout.contains("deferred=1"), "\(night)")
        #expect(try sms.requests().count == 1, "nothing reaches the customer at 23:30")
        let history = try f.lembra("history", "d1", now: "2026-11-18T23:30:00-03:00").stdout
        #expect(history.contains("state=retry tries=1 next=2026-11-19 08:00 -03:00 reason=outside_window"), "Thursday 08:00 in São Paulo\n\(history)")
        let forScripts = try f.lembra("history", "d1", "--utc", now: "2026-11-18T23:30:00-03:00").stdout
        #expect(forScripts.contains("state=retry tries=1 next=2026-11-19T11:00:00Z reason=outside_window"), "--utc\n\(forScripts)")

        #expect(try f.lembra("run", "--once", now: "2026-11-19T07:59:00-03:00").status == 0)
        #expect(try sms.requests().count == 1)
        #expect(try f.lembra("run", "--once", now: "2026-11-19T08:00:00-03:00").status == 0)
        let tries = try sms.requests()
        #expect(tries.map(\.status) == [500, 200])
        #expect(Set(tries.map(\.id)).count == 1, "the same attempt: the receiver can deduplicate on webhook-id")
        #expect(try f.lembra("history", "d1", now: "2026-11-19T08:00:00-03:00").stdout.contains("state=sent tries=2"))
    }

    /// The reviewer's repro: a refused try (429: the receiver says it did not process it), retry
    /// pending; then the control; two hours later nothing goes out. The message never arrived,
    /// so once the control is lifted the planner sends that step again, as a new attempt, once.
    @Test(arguments: [("opt-out", "c1", "opt-in", "opted_out"), ("pause", "c1", "resume", "paused"), ("dispute", "d1", "resolve", "disputed")])
    func aControlStopsAPendingRetry(control: String, target: String, lift: String, reason: String) throws {
        let sms = try WebhookReceiver(failFirst: 1, failStatus: 429), crm = try WebhookReceiver()
        let secrets = try TemporaryDirectory()
        let f = try fixture(sms: sms, crm: crm, secrets: secrets)
        #expect(try f.lembra("run", "--once").stderr.contains("event=retry"))
        let applied = try f.lembra(control, target, "--reason", "asked by phone")
        #expect(applied.status == 0 && applied.stdout.contains("1 pending message cancelled"), "\(applied)")

        let later = try f.lembra("run", "--once", now: "2026-11-18T12:00:00-03:00")
        #expect(later.status == 0, "\(later)")
        #expect(try sms.requests().count == 1, "the retry must not be delivered\n\(later)")
        let history = try f.lembra("history", "d1", now: "2026-11-18T12:00:00-03:00").stdout
        #expect(history.contains("state=cancelled tries=1 reason=\(reason)"), "\(history)")

        #expect(try f.lembra(lift, target, now: "2026-11-18T12:00:00-03:00").status == 0)
        #expect(try f.lembra("run", "--once", now: "2026-11-18T12:05:00-03:00").status == 0)
        #expect(try f.lembra("run", "--once", now: "2026-11-18T13:00:00-03:00").status == 0)
        let tries = try sms.requests()
        #expect(tries.map(\.status) == [429, 200], "sent once after \(lift)")
        #expect(Set(tries.map(\.id)).count == 2, "a new attempt for the step given back")
    }

    /// A gateway's 504 proves nothing: the receiver may have acted on the request. Cancelled by
    /// a pause, that step is not planned again after resume, since a new attempt would carry a
    /// new `webhook-id` the receiver could not recognise; the ladder goes on with its next step.
    @Test func aStepWhoseTryMayHaveArrivedIsNotSentAgainUnderANewID() throws {
        let sms = try WebhookReceiver(failFirst: 1, failStatus: 504), crm = try WebhookReceiver()
        let secrets = try TemporaryDirectory()
        let f = try fixture(sms: sms, crm: crm, secrets: secrets)
        #expect(try f.lembra("run", "--once").stderr.contains("event=retry"))
        #expect(try f.lembra("pause", "c1", "--reason", "asked by phone").stdout.contains("1 pending message cancelled"))
        #expect(try f.lembra("resume", "c1", now: "2026-11-18T12:00:00-03:00").status == 0)
        #expect(try f.lembra("run", "--once", now: "2026-11-18T12:05:00-03:00").status == 0)
        #expect(try f.lembra("run", "--once", now: "2026-11-18T13:00:00-03:00").status == 0)
        #expect(try sms.requests().map(\.status) == [504], "the step stays taken: one try, under one id")
    }
}

/// A tick that outlasts the window: 20 SMS at 2 a second, starting four seconds before 20:00.
/// A batch is about 2.5 seconds of the rate (5 here), the lane takes the next batch while it
/// sends one (`LaneLoop`), and the window is checked as each batch is taken: the first two are
/// taken at once, the third when the first is sent (about two seconds before 20:00), and all
/// three go, the last ones a few seconds past 20:00; the fourth, taken once the second is sent
/// (after 20:00), waits for the next opening, not sent, still claimed, and the next morning's
/// tick sends it.
struct WindowClosingDuringATickTests {
    @Test func whatIsLeftWhenTheWindowClosesWaitsForTheMorning() throws {
        let sms = try WebhookReceiver()
        let secrets = try TemporaryDirectory()
        let secret = try secrets.write("sms-secret", sms.secret)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        let f = try Fixture(ladders: WebhookFlowTests.ladders, extraChannels: """
              sms: { type: webhook, url: "\(sms.url)", secret_file: "\(secret.path)", requires: phone, rate: 2 }
              crm: { type: webhook, url: "\(sms.url)", secret_file: "\(secret.path)", handoff: true }
            """)
        let customers = "id,name,phone\n" + (1...20).map { "c\($0),Cliente \($0),+55 11 91234-\(1000 + $0)" }.joined(separator: "\n")
        let debts = "id,customer_id,amount,due_date\n" + (1...20).map { "d\($0),c\($0),10.00,2026-11-17" }.joined(separator: "\n")
        #expect(try f.lembra("import", "customers", f.csv("c.csv", customers)).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", debts)).status == 0)

        // On a machine slow enough to take two seconds to plan, the third batch is taken after
        // 20:00 too (sent=10); the rate alone keeps the fourth past it, whatever the speed.
        let evening = try f.lembra("run", "--once", now: "2026-11-18T19:59:56-03:00")
        let sent = CrashRecoveryTests.number(after: "sent=", in: evening.stdout)
        let deferred = CrashRecoveryTests.number(after: "deferred=", in: evening.stdout)
        #expect(sent + deferred == 20 && deferred >= 5 && sent >= 10, "\(evening)")
        #expect(evening.stderr.contains("reason=window_closed_during_tick"), "\(evening)")
        #expect(try sms.requests().count == sent)

        let morning = try f.lembra("run", "--once", now: "2026-11-19T08:00:00-03:00")
        #expect(morning.status == 0, "\(morning)")
        let ids = try sms.requests().map(\.id)
        #expect(ids.count == 20 && Set(ids).count == 20, "each of the 20 once")
    }
}

/// The reviewer's case #11 on the binary: a thank-you held by an open-ended pause goes out after
/// resume.
struct HeldThankYouTests {
    @Test func aThankYouHeldByAPauseGoesOutAfterResume() throws {
        let f = try Fixture()
        #expect(try f.lembra("import", "customers", f.csv("c.csv", "id,name,email\nc1,Ana,ana@example.com\n")).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", "id,customer_id,amount,due_date\nd1,c1,10.00,2026-11-17\n")).status == 0)
        #expect(try f.lembra("pause", "c1", "--reason", "travelling").status == 0)
        #expect(try f.lembra("pay", "d1").status == 0)
        let held = try f.lembra("run", "--once")
        #expect(held.stdout.contains("held=1"), "\(held)")
        #expect(try f.lembra("resume", "c1").status == 0)
        let after = try f.lembra("run", "--once", now: "2026-11-18T10:05:00-03:00")
        #expect(after.stdout.contains("planned=1") && after.stdout.contains("sent=1"), "\(after)")
        #expect(try f.received().map { $0["subject"] ?? "" } == ["Pagamento recebido — obrigado! — Oficina Teste Ltda"])
        let history = try f.lembra("history", "c1", now: "2026-11-18T10:05:00-03:00").stdout
        #expect(!history.contains("waiting"), "\(history)")
    }
}
