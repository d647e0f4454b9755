import Foundation
import LembraCore
import LembraStore

/// The ledger's share of a tick, alone: the same SQLite work `lembra run --once` does for N due
/// customers (one debt each), without templates or network. Customers are loaded (with the
/// controls version), planned and claimed if that version still holds (each claimed message with
/// a payload of the given size, next checks saved) in chunks of 32 doubling to 256, one commit
/// each, as the tick's planner does; then the claims are marked
/// `sending` and their outcomes recorded a batch at a time, one commit per batch, as a lane does
/// (128 for a webhook channel, 8 for an SMTP connection). Each phase is timed in this thread's CPU time, so the figures add up to a CPU
/// budget per message next to `compose` and the transport's own CPU.
enum LedgerBenchmark {
    struct Result {
        var messages = 0
        var load = 0.0, plan = 0.0, claim = 0.0, markAndRecord = 0.0
        var wallSeconds = 0.0
        /// CPU µs per message of each phase.
        func micros(_ nanos: Double) -> Double { nanos / 1e3 / Double(max(messages, 1)) }
    }

    /// The tick's chunk sizes (`Tick.firstChunk`, `Tick.maxChunk`).
    static let firstChunk = 32, maxChunk = 256

    static func measure(customers n: Int, payloadBytes: Int, batch: Int) throws -> Result {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lembra-bench-ledger-\(getpid()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try PlanningBenchmark.generate(path: path, debts: n, dueFraction: 1)
        let ledger = try SQLiteLedger(path: path)
        let now = PlanningBenchmark.now
        let planner = Planner(policy: PlanningBenchmark.policy)
        let payload = Data(repeating: UInt8(ascii: "x"), count: payloadBytes)
        var r = Result()
        let started = DispatchTime.now().uptimeNanoseconds

        let ids = try ledger.dueCustomerIDs(now: now)
        var claimed: [Attempt] = []
        var start = 0, size = firstChunk
        while start < ids.count {
            var t = ComposeBenchmark.threadCPUNanoseconds()
            let snapshot = try ledger.planningSnapshot(customerIDs: Array(ids[start..<min(start + size, ids.count)]), now: now)
            let cases = snapshot.cases
            r.load += lap(&t)
            let plans = cases.map { planner.plan($0, now: now) }
            let requests = plans.flatMap(\.messages).map {
                ClaimRequest(attemptID: ClaimRequest.newAttemptID(now: now), message: $0, payload: payload)
            }
            r.plan += lap(&t)
            guard case .claimed(let claimedIDs) = try ledger.claim(requests, saving: plans, now: now, ifControlsAt: snapshot.controlsVersion) else {
                throw BenchError("ledger: a claim was stale with no control running")
            }
            let ok = Set(claimedIDs)
            claimed += requests.filter { ok.contains($0.attemptID) }.map { Attempt(claimed: $0, now: now) }
            r.claim += lap(&t)
            start += size
            size = min(size * 2, maxChunk)
        }

        var t = ComposeBenchmark.threadCPUNanoseconds()
        var outcomes: [(id: String, outcome: AttemptOutcome)] = []
        for from in stride(from: 0, to: claimed.count, by: batch) {
            let next = claimed[from..<min(from + batch, claimed.count)].map(\.id)
            let marked = try ledger.record(outcomes, markingSending: next, now: now)
            guard marked.count == next.count else { throw BenchError("ledger: \(next.count - marked.count) attempts not marked sending") }
            outcomes = next.map { ($0, .sent) }
        }
        try ledger.record(outcomes, now: now)
        r.markAndRecord = lap(&t)

        r.messages = claimed.count
        r.wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        guard r.messages == n else { throw BenchError("ledger: \(r.messages) of \(n) due customers claimed") }
        return r
    }

    /// Nanoseconds of this thread's CPU since `t`, which moves to now.
    private static func lap(_ t: inout UInt64) -> Double {
        let now = ComposeBenchmark.threadCPUNanoseconds()
        defer { t = now }
        return Double(now - t)
    }
}
