import Foundation
import Testing
import TestSupport

/// `kill -9` in the middle of a tick, then a rerun: no reminder is delivered twice, every
/// reminder that was due is either delivered or recorded as in doubt, and at most the message
/// on the wire on each connection is in doubt per kill (the progress file tells the rest).
@Suite(.serialized) struct CrashRecoveryTests {
    static let count = 60

    @Test(arguments: [[5], [12, 30], [3, 20, 41]])
    func killsDuringTicksNeverDuplicate(killPoints: [Int]) throws {
        // A slow server (30 ms per message) so that the kills land mid-tick; two connections,
        // so a batch (8 per connection) is 16 of the 60 messages.
        let connections = 2
        let f = try Fixture(smtp: SMTPTestServer(stall: 0.03), smtpConnections: connections)
        try f.importCustomersWithOneDebtEach(Self.count)
        for point in killPoints {
            let run = try f.start("run", "--once")
            let reached = RunningLembra.waitUntil(timeout: 30) { ((try? f.smtp.messages().count) ?? 0) >= point || !run.process.isRunning }
            #expect(reached)
            run.signal(SIGKILL)
            _ = run.wait()
        }
        let final = try f.lembra("run", "--once")
        #expect(final.status == 0, "\(final)")

        let recipients = try f.received().map { $0["to"] ?? "" }
        let perRecipient = Dictionary(grouping: recipients, by: { $0 }).mapValues(\.count)
        #expect(perRecipient.values.allSatisfy { $0 == 1 }, "duplicates: \(perRecipient.filter { $0.value > 1 })")

        let status = try f.lembra("status").stdout
        let inDoubt = Self.number(after: "in_doubt ", in: status)
        let sent = Self.number(after: "sent ", in: status)
        #expect(inDoubt <= connections * killPoints.count, "at most one message per connection in doubt per kill\n\(status)")
        // In doubt means "may have arrived": every customer got the reminder or is listed in doubt.
        let received = Set(recipients.compactMap { $0.split(separator: "<").last?.split(separator: "@").first.map(String.init) })
        let doubted = Set(status.split(separator: "\n").filter { $0.hasPrefix("  att_") }
            .compactMap { $0.split(separator: " ").first { $0.hasPrefix("customer=") }?.dropFirst(9).description })
        #expect(doubted.count == inDoubt)
        #expect(received.union(doubted).count == Self.count, "every due reminder is delivered or in doubt\n\(status)")
        #expect(sent == received.subtracting(doubted).count, "what the ledger calls sent arrived, exactly\n\(status)")
        #expect(Self.number(after: "claimed ", in: status) == 0 && Self.number(after: "sending ", in: status) == 0)
    }

    static func number(after label: String, in text: String) -> Int {
        guard let r = text.range(of: label) else { return -1 }
        return Int(text[r.upperBound...].prefix { $0.isNumber }) ?? -1
    }
}

/// CDC art. 42: a server that took the whole message and never answered may have delivered it.
/// Such an e-mail is in doubt, shown to the operator, and never re-sent by a later tick.
struct NoReplyTests {
    @Test func aMessageWithoutAReplyIsInDoubtAndNotResent() throws {
        let f = try Fixture(smtp: SMTPTestServer(stall: 30), smtpTimeout: "2s")
        #expect(try f.lembra("import", "customers", f.csv("c.csv", "id,name,email\nc1,Ana,ana@example.com\n")).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", "id,customer_id,amount,due_date\nd1,c1,10.00,2026-11-17\n")).status == 0)
        let run = try f.lembra("run", "--once")
        #expect(run.stderr.contains("event=in_doubt"), "\(run)")
        let status = try f.lembra("status").stdout
        #expect(status.contains("in_doubt 1") && status.contains("In doubt"), "\(status)")
        let later = try f.lembra("run", "--once", now: "2026-11-18T15:00:00-03:00")
        #expect(!later.stderr.contains("event=sent") && !later.stderr.contains("event=retry"), "\(later)")
    }
}
