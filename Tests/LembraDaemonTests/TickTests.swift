import Foundation
import LembraCore
@testable import LembraDaemon
import LembraStore
import Testing
import TestSupport

/// The tick's orchestration on a real ledger and an outbox: planner and lanes run together,
/// every due reminder goes out once, and a stopping daemon's tick ends without waiting on anyone.
@Suite struct TickTests {
    static let now = Timestamp.parse("2026-11-18T10:00:00-03:00", timeZone: TimeZone(identifier: "UTC")!)!

    /// A config with an outbox channel and a ledger of `count` customers, each one day overdue.
    static func setUp(_ f: ConfigFixture, count: Int) throws -> (LembraConfig, SQLiteLedger) {
        let config = try f.load([ConfigFixture.business, "database: \(f.dir.path("ledger.sqlite").path)",
                                 "templates: \(f.dir.path("templates").path)",
                                 "channels:\n  email: { type: outbox, path: \(f.dir.path("out").path), from: \"Teste <a@b.com>\" }",
                                 ConfigFixture.ladders].joined(separator: "\n"))
        let ledger = try SQLiteLedger(path: config.database, create: true)
        _ = try ledger.importCustomers((0..<count).map { i in
            Numbered(row: i + 2, value: Customer(id: "c\(i)", name: "Cliente \(i)", email: "c\(i)@cliente.example"))
        }, now: now)
        _ = try ledger.importDebts((0..<count).map { i in
            Numbered(row: i + 2, value: Debt(id: "d\(i)", customerID: "c\(i)", amount: Money(cents: 10_000), dueDate: CalendarDate(iso: "2026-11-17")!))
        }, now: now)
        return (config, ledger)
    }

    static func sentFiles(_ f: ConfigFixture) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: f.dir.path("out/new").path)) ?? []
    }

    /// More customers than the first chunks hold, so the lanes send while later chunks are planned.
    @Test func everyDueReminderGoesOutOnceAcrossChunks() throws {
        let f = try ConfigFixture()
        let (config, ledger) = try Self.setUp(f, count: 300)
        let summary = try Tick(config: config, ledger: ledger, log: Logfmt(write: { _ in })).run(now: Self.now)
        #expect(summary.customersPlanned == 300)
        #expect(summary.claimed == 300)
        #expect(summary.sent == 300)
        #expect(Self.sentFiles(f).count == 300)
        #expect(try ledger.interrupted(now: Self.now).isEmpty)
        #expect(try ledger.sendable(now: Self.now).isEmpty)

        let again = try Tick(config: config, ledger: ledger, log: Logfmt(write: { _ in })).run(now: Self.now)
        #expect(again.sent == 0, "the same step is never sent twice")
        #expect(Self.sentFiles(f).count == 300)
    }

    /// Every outcome is in the progress file by the time its batch is recorded: a lane writes the
    /// outcomes it decided with its next start, before it waits, and after its batch. The last
    /// message of each batch has no next start, so this fails if the write after the batch goes.
    @Test func everyOutcomeReachesTheProgressFile() throws {
        let f = try ConfigFixture()
        let (config, ledger) = try Self.setUp(f, count: 20)
        let writes = LogfmtTests.Lines()
        let log = Logfmt(journal: false) { text in writes.value.withLock { $0.append(text) } }
        let boot = "tick-tests-boot"
        #expect(try Tick(config: config, ledger: ledger, log: log, bootID: boot).run(now: Self.now).sent == 20)
        let ids = writes.value.withLock { $0 }.joined().split(separator: "\n").filter { $0.contains("event=sent") }.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("attempt=") }.map { String($0.dropFirst("attempt=".count)) }
        }
        #expect(ids.count == 20)
        let record = ProgressRecord.read(path: config.progressFile, bootID: boot)
        #expect(record.distrust == nil)
        for id in ids { #expect(record.event(id) == .finished(.sent), "\(id)") }
    }

    /// A batch's outcome lines reach the log in one write, each line whole: one `write(2)` per
    /// batch, not one per message.
    @Test func aBatchsOutcomeLinesAreWrittenTogether() throws {
        let f = try ConfigFixture()
        let (config, ledger) = try Self.setUp(f, count: 3)
        let writes = LogfmtTests.Lines()
        let log = Logfmt(journal: false) { text in writes.value.withLock { $0.append(text) } }
        #expect(try Tick(config: config, ledger: ledger, log: log).run(now: Self.now).sent == 3)
        let sent = writes.value.withLock { $0 }.filter { $0.contains("event=sent") }
        #expect(sent.count == 1, "one write for the batch of 3: \(sent)")
        let lines = sent.first?.split(separator: "\n", omittingEmptySubsequences: false) ?? []
        #expect(lines.count == 4 && lines.last == "", "three whole lines: \(lines)")
        #expect(lines.dropLast().allSatisfy { $0.hasPrefix("level=info event=sent attempt=") })
    }

    /// A stop before the first chunk: nothing is claimed or sent, and the tick returns (its lanes
    /// are told the planner is done; none waits for it).
    @Test func aStoppingTickClaimsNothingAndReturns() throws {
        let f = try ConfigFixture()
        let (config, ledger) = try Self.setUp(f, count: 50)
        let stop = StopFlag()
        stop.set()
        let summary = try Tick(config: config, ledger: ledger, log: Logfmt(write: { _ in }), stop: stop).run(now: Self.now)
        #expect(summary.claimed == 0)
        #expect(summary.sent == 0)
        #expect(Self.sentFiles(f).isEmpty)
        #expect(try ledger.dueCases(now: Self.now).count == 50, "customers not reached stay due for the next tick")
    }

    /// A batch that reaches a lane once the daemon is stopping (marked ahead while the lane sent
    /// the one before, or as the stop came) is put back, not sent: its attempts are `claimed`
    /// again, for the next tick. The source's clock sets the stop as the batch is taken.
    @Test func aBatchHandedOutAsTheStopComesIsPutBackUnsent() throws {
        let f = try ConfigFixture()
        let (config, ledger) = try Self.setUp(f, count: 3)
        let requests = try ledger.dueCases(now: Self.now).flatMap { c in c.debts.map { (c.customer.id, $0) } }.map { customer, debt in
            ClaimRequest(attemptID: ClaimRequest.newAttemptID(now: Self.now), message: PlannedMessage(
                kind: .reminder, customerID: customer, segment: "forgetful", channel: "email", template: "friendly", handoff: false,
                items: [PlannedMessage.Item(debt: debt, stepID: "forgetful.1d", day: 1)], superseded: []), payload: Data("x".utf8))
        }
        #expect(try ledger.claim(requests, now: Self.now).count == 3)
        let stop = StopFlag()
        let source = BatchSource(channel: "email", ledger: ledger, log: Logfmt(write: { _ in }),
                                 leftovers: try ledger.sendable(now: Self.now, channel: "email").map { QueuedAttempt($0) },
                                 limit: 8, lanes: 1, stop: stop, clock: { stop.set(); return Self.now })
        source.finish()
        let channels = ChannelSet(config: config)
        defer { channels.close() }
        let tick = Tick(config: config, ledger: ledger, log: Logfmt(write: { _ in }), stop: stop)
        let summary = try tick.send(source, lane: 0, channels, progress: try ProgressFile(path: config.progressFile, bootID: nil), now: Self.now)
        #expect(summary.sent == 0 && summary.deferred == 3)
        #expect(Self.sentFiles(f).isEmpty)
        #expect(try ledger.interrupted(now: Self.now).isEmpty, "none left `sending`")
        #expect(try ledger.sendable(now: Self.now, channel: "email").count == 3, "claimed again, for the next tick")
    }
}
