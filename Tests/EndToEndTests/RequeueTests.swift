import Foundation
import Testing
import TestSupport

/// `lembra requeue` puts dead attempts back for the next tick, each sent exactly once, with a
/// `requeued` event in history; never for a debt paid since. And `lembra --version`.
@Suite(.serialized) struct RequeueTests {
    @Test func deadAttemptsAreRequeuedOnceAndSentOnceButNotForAPaidDebt() throws {
        let f = try Fixture(smtp: try SMTPTestServer(replyCode: 550, faultStep: .rcpt, faultCount: 3), smtpConnections: 1)
        try f.importCustomersWithOneDebtEach(3)
        let first = try f.lembra("run", "--once")
        #expect(first.stderr.components(separatedBy: "event=dead").count - 1 == 3, "\(first.stderr)")
        #expect(try f.lembra("pay", "d2", now: "2026-11-18T10:05:00-03:00").status == 0)

        let unfiltered = try f.lembra("requeue")
        #expect(unfiltered.status == 64, "a filter or --all is required\n\(unfiltered)")

        let dry = try f.lembra("requeue", "--channel", "email", "--dry-run", now: "2026-11-18T10:10:00-03:00")
        #expect(dry.status == 0, "\(dry)")
        #expect(dry.stdout.contains("would requeue attempt=") && dry.stdout.contains("2 dead attempts would be requeued"), "\(dry.stdout)")
        #expect(dry.stdout.contains("stays dead") && dry.stdout.contains("customer=c2") && dry.stdout.contains("reason=paid"), "\(dry.stdout)")
        #expect(try f.lembra("history", "c0").stdout.contains("state=dead"), "a dry run changes nothing")

        let requeue = try f.lembra("requeue", "--channel", "email", now: "2026-11-18T10:10:00-03:00")
        #expect(requeue.status == 0, "\(requeue)")
        #expect(requeue.stdout.contains("2 dead attempts requeued"), "\(requeue.stdout)")
        let history = try f.lembra("history", "c0").stdout
        #expect(history.contains("requeued=1") && history.contains("filter=channel=email"), "\(history)")
        #expect(history.contains("state=retry tries=0") && history.contains("reason=requeued"), "\(history)")
        #expect(try f.lembra("requeue", "--channel", "email", now: "2026-11-18T10:11:00-03:00").stdout.contains("nothing requeued"))

        #expect(try f.lembra("run", "--once", now: "2026-11-18T10:15:00-03:00").status == 0)
        #expect(try f.lembra("run", "--once", now: "2026-11-18T11:15:00-03:00").status == 0)
        let reminders = try f.received().filter { !($0["subject"] ?? "").contains("obrigado") }.compactMap { $0["to"] }
        #expect(["c0", "c1", "c2"].map { c in reminders.filter { $0.contains("<\(c)@example.com>") }.count } == [1, 1, 0],
                "each requeued reminder exactly once, none for the paid debt: \(reminders)")
        #expect(try f.lembra("history", "c2").stdout.contains("state=dead"))
    }

    @Test func versionIsPrintedByTheFlagAndTheSubcommand() throws {
        let flag = try LembraBinary.run(["--version"]), command = try LembraBinary.run(["version"])
        #expect(flag.status == 0 && command.status == 0)
        #expect(flag.stdout == command.stdout)
        #expect(flag.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, "\(flag)")
    }
}
