import Foundation
import LembraCore
@testable import LembraDaemon
import LembraStore
import Testing
import TestSupport

/// The lanes' source of batches, on a real ledger: what it hands out is marked `sending`, each
/// attempt once, never one a payment cancelled after the planner claimed it.
@Suite struct BatchSourceTests {
    static let now = Timestamp.parse("2026-11-18T10:00:00-03:00", timeZone: TimeZone(identifier: "UTC")!)!

    /// A ledger with customer c1 owing d1…d`debts`.
    static func ledger(_ dir: TemporaryDirectory, debts: Int, busyTimeout: Double = 5) throws -> SQLiteLedger {
        let ledger = try SQLiteLedger(path: dir.path("ledger.sqlite").path, busyTimeout: busyTimeout, create: true)
        _ = try ledger.importCustomers([Numbered(row: 2, value: Customer(id: "c1", name: "Ana", email: "ana@example.com"))], now: now)
        _ = try ledger.importDebts((1...debts).map { i in
            Numbered(row: i + 1, value: Debt(id: "d\(i)", customerID: "c1", amount: Money(cents: 1_000), dueDate: CalendarDate(iso: "2026-11-17")!))
        }, now: now)
        return ledger
    }

    /// Claims one e-mail reminder per debt, as the planner would, and returns the attempts.
    static func claimAll(_ ledger: SQLiteLedger) throws -> [Attempt] {
        let requests = try ledger.dueCases(now: now).flatMap(\.debts).map { debt in
            ClaimRequest(attemptID: ClaimRequest.newAttemptID(now: now), message: PlannedMessage(
                kind: .reminder, customerID: "c1", segment: "forgetful", channel: "email", template: "friendly", handoff: false,
                items: [PlannedMessage.Item(debt: debt, stepID: "forgetful.1d", day: 1)], superseded: []), payload: Data("x".utf8))
        }
        let claimed = Set(try ledger.claim(requests, now: now))
        return requests.filter { claimed.contains($0.attemptID) }.map { Attempt(claimed: $0, now: now) }
    }

    /// A source over the ledger's e-mail leftovers, on a clock stopped at `now`.
    static func source(_ ledger: SQLiteLedger, limit: Int, lanes: Int, log: Logfmt = Logfmt(write: { _ in })) throws -> BatchSource {
        BatchSource(channel: "email", ledger: ledger, log: log, leftovers: try ledger.sendable(now: now, channel: "email").map { QueuedAttempt($0) },
                    limit: limit, lanes: lanes, stop: StopFlag(), clock: { now })
    }

    @Test func handsOutEachAttemptOnceMarkedSendingAndRecordsOutcomes() throws {
        let dir = try TemporaryDirectory("lembra-batches")
        let ledger = try Self.ledger(dir, debts: 5)
        let attempts = try Self.claimAll(ledger)
        let source = try Self.source(ledger, limit: 2, lanes: 1)
        source.finish()
        var seen: [String] = []
        var outcomes: [(id: String, outcome: AttemptOutcome)] = []
        while let batch = try source.next(recording: outcomes) {
            #expect(batch.count <= 2)
            #expect(Set(try ledger.interrupted(now: Self.now).map(\.id)) == Set(batch.map(\.id)), "exactly this batch is `sending`")
            seen += batch.map(\.id)
            outcomes = batch.map { ($0.id, .sent) }
        }
        #expect(seen.sorted() == attempts.map(\.id).sorted(), "the leftovers read from the ledger, each once")
        #expect(try ledger.interrupted(now: Self.now).isEmpty, "the last batch's outcomes were recorded on the way out")
        #expect(try ledger.sendable(now: Self.now).isEmpty)
    }

    /// A batch is marked `sending` at the tick's clock, not at its start: on a shared ledger the
    /// mark's lease runs from it, and a tick stretched over hours must not mark late batches with
    /// a lease already run out.
    @Test func marksABatchAtTheTicksClockNotItsStart() throws {
        let dir = try TemporaryDirectory("lembra-batches")
        let ledger = try Self.ledger(dir, debts: 1)
        _ = try Self.claimAll(ledger)
        let later = Self.now.addingTimeInterval(3 * 3600)
        let source = BatchSource(channel: "email", ledger: ledger, log: Logfmt(write: { _ in }),
                                 leftovers: try ledger.sendable(now: Self.now, channel: "email").map { QueuedAttempt($0) },
                                 limit: 8, lanes: 1, stop: StopFlag(), clock: { later })
        source.finish()
        let batch = try #require(try source.next(recording: []))
        #expect(try ledger.interrupted(now: later).map(\.updatedAt) == batch.map { _ in later })
    }

    @Test func skipsAnAttemptAPaymentCancelledAfterItWasQueued() throws {
        let dir = try TemporaryDirectory("lembra-batches")
        let ledger = try Self.ledger(dir, debts: 2)
        let attempts = try Self.claimAll(ledger)
        let source = try Self.source(ledger, limit: 8, lanes: 1)
        try ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now)
        source.finish()
        let batch = try #require(try source.next(recording: []))
        #expect(batch.map(\.debtIDs) == [["d2"]], "d1 was paid: its reminder must not go out")
        #expect(attempts.count == 2)
        #expect(try source.next(recording: batch.map { ($0.id, .sent) }) == nil)
    }

    @Test func aLaneWaitsForThePlannersNextChunk() throws {
        let dir = try TemporaryDirectory("lembra-batches")
        let ledger = try Self.ledger(dir, debts: 1)
        let source = try Self.source(ledger, limit: 8, lanes: 1)
        let taken = DispatchSemaphore(value: 0)
        let result = ResultBox()
        Thread {
            result.set(Result { try source.next(recording: []) })
            taken.signal()
        }.start()
        #expect(taken.wait(timeout: .now() + 0.2) == .timedOut, "nothing queued and the planner not done: the lane waits")
        let claimed = try Self.claimAll(ledger)
        source.add(claimed.map { QueuedAttempt($0) })
        #expect(taken.wait(timeout: .now() + 10) == .success)
        #expect(try result.get()?.map(\.id) == claimed.map(\.id))
        source.finish()
    }
}

extension BatchSourceTests {
    @Test func aSmallQueueIsSharedOutAmongTheLanes() throws {
        let dir = try TemporaryDirectory("lembra-batches")
        let ledger = try Self.ledger(dir, debts: 10)
        _ = try Self.claimAll(ledger)
        let source = try Self.source(ledger, limit: 8, lanes: 4)
        source.finish()
        var sizes: [Int] = []
        while let batch = try source.next(recording: []) { sizes.append(batch.count) }
        #expect(sizes == [3, 2, 2, 1, 1, 1], "a lane's share of what is left, never 8 for one lane and 2 for another")
        #expect(try ledger.interrupted(now: Self.now).count == 10)
    }
}

extension BatchSourceTests {
    /// The tick's clock has reached the end of some customers' windows by the time the lane gets
    /// to them (a long, rate-limited tick): those are neither handed out nor marked, and stay in
    /// the ledger as they were for the next tick's re-check. A whole share of late ones does not
    /// end the lane's work early.
    @Test func aMessageWhoseWindowClosedBeforeItsTurnIsLeftInTheLedger() throws {
        let dir = try TemporaryDirectory("lembra-batches")
        let ledger = try Self.ledger(dir, debts: 4)
        let a = try Self.claimAll(ledger).sorted { $0.debtIDs[0] < $1.debtIDs[0] }
        let deadlines: [Date?] = [Self.now.addingTimeInterval(-1), Self.now, Self.now.addingTimeInterval(60), nil]
        let source = BatchSource(channel: "email", ledger: ledger, log: Logfmt(write: { _ in }), leftovers: zip(a, deadlines).map { QueuedAttempt($0, sendBy: $1) },
                                 limit: 2, lanes: 1, stop: StopFlag(), clock: { Self.now })
        source.finish()
        let batch = try #require(try source.next(recording: []))
        #expect(batch.map(\.id) == [a[2].id, a[3].id], "the first share was all late; the lane goes on to the next")
        #expect(try source.next(recording: batch.map { ($0.id, .sent) }) == nil)
        #expect(source.late.map(\.id) == [a[0].id, a[1].id])
        #expect(Set(try ledger.sendable(now: Self.now).map(\.id)) == [a[0].id, a[1].id], "still claimed, never marked `sending`")
    }
}

/// A result handed from the lane's thread to the test.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<[Attempt]?, any Error>?
    func set(_ r: Result<[Attempt]?, any Error>) { lock.withLock { value = r } }
    func get() throws -> [Attempt]? { try lock.withLock { value }!.get() }
}

extension BatchSourceTests {
    /// A lane asking ahead (`LaneLoop`) gets an empty batch at once when nothing is queued yet,
    /// its outcomes recorded all the same; asking between batches, it would wait for the planner.
    @Test func aRequestMadeAheadRecordsAndNeverWaitsForThePlanner() throws {
        let dir = try TemporaryDirectory("lembra-batches")
        let ledger = try Self.ledger(dir, debts: 2)
        _ = try Self.claimAll(ledger)
        let source = try Self.source(ledger, limit: 8, lanes: 1) // the planner is not done
        let batch = try #require(try source.next(recording: []))
        #expect(batch.count == 2)
        let answered = DispatchSemaphore(value: 0)
        let result = ResultBox()
        Thread {
            result.set(Result { try source.next(recording: batch.map { ($0.id, .sent) }, waiting: false) })
            answered.signal()
        }.start()
        #expect(answered.wait(timeout: .now() + 30) == .success, "it must not wait for the planner")
        #expect(try result.get()?.isEmpty == true, "nothing queued yet: an empty batch, not the end")
        #expect(try ledger.interrupted(now: Self.now).isEmpty, "the outcomes were recorded")
        source.finish()
        #expect(try source.next(recording: [], waiting: false) == nil, "the planner done, nothing left: the end")
    }
}
