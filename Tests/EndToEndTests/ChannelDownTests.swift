import Foundation
import Testing
import TestSupport

/// A channel that fails for its own reason (a refused login, a webhook's 401) keeps the
/// reminders waiting as `retry`, reason `channel_down`, without spending their tries; once fixed,
/// each goes out exactly once. `check-channels` names the config key to fix.
@Suite(.serialized) struct ChannelDownTests {
    /// Two tries only: on the old code, two ticks with a wrong password made every reminder dead.
    static let retry = "retry: { max_tries: 2, base_delay: 5m }"

    /// Replaces a secret file's content, readable by its owner only (as the config requires).
    static func writeSecret(_ text: String, to file: URL) throws {
        try text.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    }

    func smtpFixture(_ secrets: TemporaryDirectory, password: String, retry: String = Self.retry) throws -> (Fixture, URL) {
        let file = try secrets.write("smtp-password", password)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let f = try Fixture(smtp: try SMTPTestServer(auth: "lembra:s3cret"), smtpConnections: 2, extraConfig: retry,
                            smtpOptions: ", username: lembra, password_file: \"\(file.path)\"")
        try f.importCustomersWithOneDebtEach(3)
        return (f, file)
    }

    @Test func aRefusedLoginWaitsWithoutSpendingTriesAndSendsOnceFixed() throws {
        let secrets = try TemporaryDirectory()
        let (f, passwordFile) = try smtpFixture(secrets, password: "wrong")

        let check = try f.lembra("check-channels")
        #expect(check.status == 69, "\(check)")
        #expect(check.stdout.contains("channels.email.password_file: the server refused the login (535)"), "\(check)")

        for (i, at) in ["2026-11-18T10:00:00-03:00", "2026-11-18T10:10:00-03:00", "2026-11-18T10:20:00-03:00"].enumerated() {
            let run = try f.lembra("run", "--once", now: at)
            #expect(run.status == 0, "\(run)")
            let downLines = run.stderr.split(separator: "\n").filter { $0.contains("event=channel_down channel=email") }
            #expect(downLines.count == 1, "one line per channel per tick (tick \(i))\n\(run.stderr)")
            #expect(downLines.first?.contains("key=channels.email.password_file") == true)
            // Like every time in the log, in the business's zone with its offset.
            #expect(downLines.first?.contains(#/ next=2026-11-18T10:[0-9:]{5}-03:00/#) == true, "\(downLines)")
            #expect(!run.stderr.contains("event=dead"), "\(run.stderr)")
        }
        #expect(try f.smtp.messages().isEmpty)
        let status = try f.lembra("status").stdout
        #expect(status.contains("Waiting for a channel that is down") && status.contains(#/\n  email +3  next try 2026-11-18 10:\d\d -03:00\n/#), "\(status)")
        for c in ["c0", "c1", "c2"] {
            let history = try f.lembra("history", c).stdout
            #expect(history.contains("state=retry tries=0"), "\(history)")
            #expect(history.contains("reason=channel_down: step=auth"), "\(history)")
        }

        try Self.writeSecret("s3cret", to: passwordFile)
        #expect(try f.lembra("check-channels").stdout == "channels.email: ok\n")
        let fixed = try f.lembra("run", "--once", now: "2026-11-18T10:40:00-03:00")
        #expect(fixed.status == 0, "\(fixed)")
        #expect(try f.lembra("run", "--once", now: "2026-11-18T11:40:00-03:00").status == 0)
        let to = try f.received().compactMap { $0["to"] }
        #expect(["c0", "c1", "c2"].map { c in to.filter { $0.contains("<\(c)@example.com>") }.count } == [1, 1, 1],
                "each reminder exactly once: \(to)")
        #expect(to.count == 3)
        for c in ["c0", "c1", "c2"] { #expect(try f.lembra("history", c).stdout.contains("state=sent tries=1")) }
    }

    /// After the first refused login the lane stops for the tick: the messages not yet started
    /// are held unsent (recorded as waiting, like the one that failed), not each tried in turn.
    @Test func theLaneStopsAtTheFirstChannelFailureAndHoldsTheRest() throws {
        let secrets = try TemporaryDirectory()
        let file = try secrets.write("smtp-password", "wrong")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let f = try Fixture(smtp: try SMTPTestServer(auth: "lembra:s3cret"), smtpConnections: 1, extraConfig: Self.retry,
                            smtpOptions: ", username: lembra, password_file: \"\(file.path)\"")
        try f.importCustomersWithOneDebtEach(20)
        let run = try f.lembra("run", "--once")
        #expect(run.stderr.contains("channel_down=20 "), "\(run.stderr)")
        let tried = run.stderr.split(separator: "\n").filter { $0.contains("event=channel_down attempt=") && $0.contains(" ms=") }
        let held = try #require(run.stderr.firstMatch(of: #/event=channel_down channel=email .* held=(\d+) /#).flatMap { Int($0.1) })
        #expect(held == 20 - tried.count && held > 0, "\(run.stderr)")
        #expect(try f.lembra("status").stdout.contains("retry"), "every one waits")
        for i in 0..<20 { #expect(try f.lembra("history", "c\(i)").stdout.contains("state=retry tries=0 next=")) }
    }

    /// The daemon checks its channels when it starts and after a reload; a channel down at
    /// start-up is logged at err and the daemon runs on.
    @Test func theDaemonChecksChannelsAtStartAndReloadAndRunsOnWhenOneIsDown() throws {
        let secrets = try TemporaryDirectory()
        let (f, passwordFile) = try smtpFixture(secrets, password: "wrong", retry: "retry: { max_tries: 2, base_delay: 1s }")
        let daemon = try f.start("run")
        defer { if daemon.process.isRunning { daemon.signal(SIGKILL) } }
        #expect(RunningLembra.waitUntil { daemon.stderr.contains("event=tick ") }, "\(daemon.stderr)")
        #expect(daemon.stderr.contains("event=channel_check channel=email when=start result=failed key=channels.email.password_file"),
                "\(daemon.stderr)")
        #expect(daemon.process.isRunning)

        try Self.writeSecret("s3cret", to: passwordFile)
        daemon.signal(SIGHUP)
        #expect(RunningLembra.waitUntil { daemon.stderr.contains("event=channel_check channel=email when=reload result=ok") }, "\(daemon.stderr)")
        #expect(RunningLembra.waitUntil { (try? f.smtp.messages().count) == 3 }, "the waiting reminders go out once fixed\n\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(daemon.wait().status == 0)
        #expect(try f.smtp.messages().count == 3)
    }

    @Test func aWebhookAnswering401WaitsWithoutSpendingTriesAndSendsOnceFixed() throws {
        let receiver = try WebhookReceiver()
        let secrets = try TemporaryDirectory()
        let secretFile = try secrets.write("sms-secret", "whsec_" + Data(repeating: 7, count: 24).base64EncodedString())
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretFile.path)
        let f = try Fixture(ladders: """
            ladders:
              upcoming: []
              forgetful: [ { at: 1d, channel: sms, template: friendly-sms } ]
              short_delay: [ { at: 6d, channel: sms, template: friendly-sms } ]
              chronic: [ { at: 1d, channel: sms, template: friendly-sms } ]
            """, extraChannels: """
              sms: { type: webhook, url: "\(receiver.url)", secret_file: "\(secretFile.path)", timeout: 5s }
            """, extraConfig: Self.retry)
        #expect(try f.lembra("import", "customers", f.csv("c.csv", "id,name,phone\nc1,Ana,+5511912345678\nc2,Bia,+5511912345679\n")).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", "id,customer_id,amount,due_date\nd1,c1,10.00,2026-11-17\nd2,c2,20.00,2026-11-17\n")).status == 0)

        let check = try f.lembra("check-channels")
        #expect(check.status == 69)
        #expect(check.stdout.contains("channels.sms.secret_file: the receiver refused the signature or the credentials (401)"), "\(check)")
        #expect(check.stdout.contains("channels.email: ok"), "\(check)")

        for at in ["2026-11-18T10:00:00-03:00", "2026-11-18T10:10:00-03:00", "2026-11-18T10:20:00-03:00"] {
            let run = try f.lembra("run", "--once", now: at)
            #expect(run.status == 0 && !run.stderr.contains("event=dead"), "\(run)")
            #expect(run.stderr.contains("event=channel_down channel=sms"), "\(run.stderr)")
        }
        #expect(try f.lembra("history", "c1").stdout.contains("state=retry tries=0"))

        try Self.writeSecret(receiver.secret, to: secretFile)
        #expect(try f.lembra("run", "--once", now: "2026-11-18T10:40:00-03:00").status == 0)
        #expect(try f.lembra("run", "--once", now: "2026-11-18T11:40:00-03:00").status == 0)
        let reminders = try receiver.requests().filter { !$0.id.hasPrefix("ping_") }
        #expect(reminders.count == 2 && Set(reminders.map(\.id)).count == 2, "each reminder exactly once")
        #expect(try f.lembra("history", "c2").stdout.contains("state=sent tries=1"))
    }

    @Test func checkChannelsSaysOkForEachWorkingChannelAndPingsSigned() throws {
        let receiver = try WebhookReceiver()
        let secrets = try TemporaryDirectory()
        let secretFile = try secrets.write("crm-secret", receiver.secret)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretFile.path)
        let f = try Fixture(extraChannels: """
              crm: { type: webhook, url: "\(receiver.url)", secret_file: "\(secretFile.path)", handoff: true }
              quiet: { type: webhook, url: "\(receiver.url)", secret_file: "\(secretFile.path)", check: none }
              demo: { type: outbox, path: "\(secrets.path("outbox").path)", from: "Oficina <a@oficina.test>" }
            """)
        let check = try f.lembra("check-channels")
        #expect(check.status == 0, "\(check)")
        #expect(check.stdout == "channels.crm: ok\nchannels.demo: ok\nchannels.email: ok\nchannels.quiet: not checked (check: none)\n")
        let ping = try #require(try receiver.requests().first)
        #expect(try receiver.requests().count == 1)
        let body = try #require(try JSONSerialization.jsonObject(with: ping.body) as? [String: Any])
        #expect(body["type"] as? String == "lembra.ping" && ping.id.hasPrefix("ping_"))
        #expect(try f.lembra("history", "nobody").status == 69, "check-channels creates no ledger")
    }

    @Test func checkChannelsNamesTheKeyOfAnUnreachableServerOrUnwritableOutbox() throws {
        let secrets = try TemporaryDirectory()
        let blocked = try secrets.write("not-a-folder", "a file where the outbox folder should be")
        let f = try Fixture(extraChannels: """
              demo: { type: outbox, path: "\(blocked.path)", from: "Oficina <a@oficina.test>" }
            """)
        f.smtp.stop()
        let check = try f.lembra("check-channels")
        #expect(check.status == 69)
        #expect(check.stdout.contains("channels.email.url: the connection was refused"), "\(check)")
        #expect(check.stdout.contains("channels.demo.path: cannot write into"), "\(check)")
    }
}
