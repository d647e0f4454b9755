import Foundation
import LembraCore
@testable import LembraDaemon
import LembraStore
import Testing
import TestSupport

/// The tick's recovery on a real ledger and a real progress file: a batch a crash left `sending`
/// is settled attempt by attempt when the file is from this boot, and by the batch rule when not.
/// E-mail over SMTP with `in_doubt: skip` (the relay is never reached: recovery sends nothing).
@Suite struct TickRecoveryTests {
    static let now = Timestamp.parse("2026-11-18T10:00:00-03:00", timeZone: TimeZone(identifier: "UTC")!)!
    static let boot = "11111111-2222-3333-4444-555555555555"
    static let retryAt = now.addingTimeInterval(300)

    struct Setup {
        let f: ConfigFixture
        let config: LembraConfig
        let ledger: SQLiteLedger
        /// Claimed and marked `sending`, in order: five reminders and a thank-you (or `last`).
        let ids: [String]

        /// `stateDirectory`: the config names a PostgreSQL ledger and this state directory, and
        /// the ledger is a SQLite file standing in for it (where the progress file goes).
        init(last: PlannedMessage.Kind = .thanks, stateDirectory: String? = nil) throws {
            f = try ConfigFixture()
            let database = stateDirectory.map { "database: postgres://lembra@db.example/lembra\nstate_directory: \($0)" }
            config = try f.load([ConfigFixture.business, database ?? "database: \(f.dir.path("ledger.sqlite").path)",
                                 "templates: \(f.dir.path("templates").path)",
                                 "channels:\n  email: { type: smtp, url: \"smtp://127.0.0.1:9\", tls: none, from: \"Teste <a@b.com>\" }",
                                 ConfigFixture.ladders].joined(separator: "\n"))
            ledger = try SQLiteLedger(path: f.dir.path("ledger.sqlite").path, create: true)
            _ = try ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c1", name: "Ana", email: "ana@example.com"))], now: now)
            _ = try ledger.importDebts((1...6).map { i in
                Numbered(row: i + 1, value: Debt(id: "d\(i)", customerID: "c1", amount: Money(cents: 1_000), dueDate: CalendarDate(iso: "2026-11-17")!))
            }, now: now)
            let requests = try ledger.dueCases(now: now).flatMap(\.debts).sorted { $0.id < $1.id }.enumerated().map { i, debt in
                ClaimRequest(attemptID: "att_\(i)", message: PlannedMessage(
                    kind: i == 5 ? last : .reminder, customerID: "c1", segment: "forgetful", channel: "email", template: "friendly",
                    handoff: false, items: [PlannedMessage.Item(debt: debt, stepID: "forgetful.1d", day: 1)], superseded: []), payload: Data("x".utf8))
            }
            ids = try ledger.claim(requests, now: now)
            #expect(ids == (0..<6).map { "att_\($0)" })
            #expect(try ledger.record([], markingSending: ids, now: now) == Set(ids))
        }

        /// What a tick killed mid-batch wrote: 0 answered 250, 1 refused 451, 2 refused 550, 3 and
        /// the thank-you 5 on the wire, 4 never started.
        func writeProgress(bootID: String) throws {
            let file = try ProgressFile(path: config.progressFile, bootID: bootID)
            file.prepared(ids)
            for id in ids where id != "att_4" { _ = file.started(id) }
            file.finished([("att_0", .sent), ("att_1", .retry(at: retryAt, reason: "step=rcpt reply_code=451", mayHaveArrived: false)),
                           ("att_2", .dead(reason: "step=rcpt reply_code=550"))])
        }

        func recover() throws -> TickSummary {
            var summary = TickSummary()
            let tick = Tick(config: config, ledger: ledger, log: Logfmt(write: { _ in }), bootID: TickRecoveryTests.boot)
            try tick.recover(ChannelSet(config: config), now: TickRecoveryTests.now, summary: &summary)
            return summary
        }

        /// A whole tick's recovery and sending (the relay is never reached).
        func deliver() throws {
            var summary = TickSummary()
            let tick = Tick(config: config, ledger: ledger, log: Logfmt(write: { _ in }), bootID: TickRecoveryTests.boot)
            let channels = ChannelSet(config: config)
            defer { channels.close() }
            try tick.deliver(channels, now: TickRecoveryTests.now, summary: &summary)
        }

        func state(_ id: String) throws -> String {
            try #require(try ledger.history(id: "c1").first { $0.summary.contains("attempt=\(id) ") }).summary
        }
    }

    @Test func aTrustedFileSettlesEachAttemptByItsLastEvent() throws {
        let s = try Setup()
        try s.writeProgress(bootID: Self.boot)
        let summary = try s.recover()
        #expect(try s.state("att_0").contains("state=sent tries=1"))
        #expect(try s.state("att_1").contains("state=retry tries=1 next=\(Timestamp.format(Self.retryAt)) reason=step=rcpt reply_code=451"))
        #expect(try s.state("att_2").contains("state=dead tries=1 reason=step=rcpt reply_code=550"))
        #expect(try s.state("att_3").contains("state=in_doubt tries=0 reason=interrupted_mid_send"), "the one on the wire")
        #expect(try s.state("att_4").contains("state=claimed tries=0 reason=interrupted_before_send"), "never started")
        #expect(try s.state("att_5").contains("state=claimed tries=0 reason=interrupted_resend"), "a thank-you is re-sent, not left in doubt")
        #expect(summary.sent == 1 && summary.retried == 1 && summary.dead == 1 && summary.inDoubt == 1, "\(summary)")
        // The one never started goes out like any claim: it is not remembered as may-have-arrived.
        #expect(try s.ledger.sendable(now: Self.now).map(\.id).sorted() == ["att_4", "att_5"])
    }

    /// A promise confirmation cut short on the wire is one per promise, like a reminder: under
    /// `in_doubt: skip` it stays in doubt, not re-sent as a thank-you is.
    @Test func aPromiseConfirmationOnTheWireStaysInDoubt() throws {
        let s = try Setup(last: .promiseConfirmed)
        try s.writeProgress(bootID: Self.boot)
        let summary = try s.recover()
        #expect(try s.state("att_5").contains("state=in_doubt tries=0 reason=interrupted_mid_send"))
        #expect(summary.inDoubt == 2, "\(summary)")
    }

    /// The machine restarted: lines the kernel had not written out may be lost, so the file says
    /// nothing and the whole batch may have arrived (the thank-you is still re-sent).
    @Test func aFileFromAnotherBootLeavesTheBatchRule() throws {
        let s = try Setup()
        try s.writeProgress(bootID: "99999999-8888-7777-6666-555555555555")
        let summary = try s.recover()
        for id in s.ids.dropLast() { #expect(try s.state(id).contains("state=in_doubt tries=0 reason=interrupted_mid_send"), "\(id)") }
        #expect(try s.state("att_5").contains("state=claimed tries=0 reason=interrupted_resend"))
        #expect(summary.inDoubt == 5 && summary.sent == 0)
    }

    /// Recovery runs before the tick's own file replaces the previous one.
    @Test func theNextTickStartsAFreshFileOnlyAfterRecovery() throws {
        let s = try Setup()
        try s.writeProgress(bootID: Self.boot)
        try s.deliver()
        #expect(try s.state("att_0").contains("state=sent tries=1"))
        let fresh = ProgressRecord.read(database: s.config.database, bootID: Self.boot)
        #expect(fresh.distrust == nil && fresh.event("att_0") == nil, "the old tick's lines are gone")
    }

    /// On PostgreSQL the ledger has no file to keep the progress file beside: recovery reads it
    /// from `state_directory:` and the tick writes its own there, `<state_directory>/progress`.
    @Test func onPostgreSQLTheProgressFileIsInTheStateDirectory() throws {
        let s = try Setup(stateDirectory: "state")
        let state = s.f.dir.path("state").standardizedFileURL
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        #expect(s.config.progressFile == state.appendingPathComponent("progress").path)
        try s.writeProgress(bootID: Self.boot)
        try s.deliver()
        #expect(try s.state("att_0").contains("state=sent tries=1"), "the file was found and trusted (the batch rule would leave it in doubt)")
        let fresh = ProgressRecord.read(path: s.config.progressFile, bootID: Self.boot)
        #expect(fresh.distrust == nil && fresh.event("att_0") == nil, "the tick's own file replaced it")
        #expect(!FileManager.default.fileExists(atPath: s.f.dir.path("ledger.sqlite.progress").path), "nothing beside the stand-in file")
    }
}
