import Foundation
import Synchronization
import LembraCore
import LembraDelivery
import LembraStore

/// One pass of the daemon: recover → plan → claim → send → record. Each step commits before the
/// next, so a crash anywhere leaves the ledger telling exactly what may have gone out.
///
/// Planning and sending overlap: customers are planned and claimed a chunk at a time (each chunk
/// committed), while each channel's lanes (one per SMTP connection, one per webhook channel or
/// outbox) send what is claimed. A reminder is still never sent before its claim and its
/// `sending` mark are durable; the first ones just go out before the last are planned.
public struct Tick: Sendable {
    public let config: LembraConfig
    public let ledger: any TickLedger
    public let log: Logfmt
    public let metrics: MetricsExporter
    /// Checked between batches, so a stopping daemon records what is in flight and stops.
    public let stop: StopFlag
    /// This boot's id, which the progress file is written and trusted under (`ProgressFile`).
    let bootID: String?

    public init(config: LembraConfig, ledger: any TickLedger, log: Logfmt, metrics: MetricsExporter = MetricsExporter(), stop: StopFlag = StopFlag(),
                bootID: String? = ProgressFile.currentBootID) {
        self.config = config; self.ledger = ledger; self.log = log; self.metrics = metrics; self.stop = stop; self.bootID = bootID
    }

    public func run(now: Date) throws(StoreError) -> TickSummary {
        let started = DispatchTime.now()
        try ledger.checkUsable()
        var summary = TickSummary()
        let channels = ChannelSet(config: config, progress: metrics.progress)
        defer { channels.close() }
        if let inbox = config.inbox, !Inbox(directory: URL(fileURLWithPath: inbox), importer: CSVImporter(ledger: ledger, timeZone: config.timeZone),
                                             log: log, metrics: metrics).ingest(now: now, summary: &summary) {
            // A file the ledger could not take yet (locked) may be a payments file that stops
            // reminders: nothing is planned or sent until it is in.
            log.log(.warning, "tick_skipped", ["reason": "inbox_deferred"])
        } else {
            try deliver(channels, now: now, summary: &summary)
        }
        summary.milliseconds = Int((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000)
        log.log(.info, "tick", ["at": now, "summary": summary.description])
        try export(summary, now: now)
        return summary
    }

    /// Recovers what a crash interrupted, then plans, claims and sends, the lanes sending while
    /// the planner works and writing this tick's progress file (begun once recovery committed
    /// what the previous one said).
    func deliver(_ channels: ChannelSet, now: Date, summary: inout TickSummary) throws(StoreError) {
        try recover(channels, now: now, summary: &summary)
        let progress = try ProgressFile(path: config.progressFile, bootID: bootID)
        defer { if let failure = progress.failure { log.log(.warning, "progress_file", ["problem": failure]) } }
        let clock = Tick.clock(startingAt: now)
        let sources = try sendingSources(channels, progress: progress, now: now, clock: clock, summary: &summary)
        let lanes = sources.values.flatMap { s in (0..<channels.lanes(s.channel)).map { (source: s, lane: $0) } }
        let workers = WorkerThreads(count: lanes.count) { [self] i throws(StoreError) in
            try send(lanes[i].source, lane: lanes[i].lane, channels, progress: progress, now: now)
        }
        let planned = Result { () throws(StoreError) in try planAndClaim(now: now, summary: &summary, sources: sources) }
        for source in sources.values { source.finish() }
        let sent = Result { () throws(StoreError) in try workers.join() }
        try planned.get()
        summary.add(try sent.get())
        logLate(sources.values.flatMap(\.late), summary: &summary)
        logDown(sources.values.sorted { $0.channel < $1.channel }, summary: &summary)
    }

    /// One line per channel that went down this tick, at `err`, with the key to fix and how many
    /// messages wait for it; and the messages held back unsent, each at `info`.
    func logDown(_ sources: [BatchSource], summary: inout TickSummary) {
        for source in sources {
            guard let down = source.channelDown else { continue }
            let held = source.held
            for a in held { report(a, "channel_down", reason: "channel_down", until: down.until) }
            summary.channelDown += held.count
            let problem = ChannelProblem(channel: source.channel, error: down.error)
            log.log(.error, "channel_down", ["channel": source.channel, "key": problem.key, "problem": problem.message,
                                             "held": held.count, "next": down.until])
        }
    }

    /// A clock that reads `now` when the tick begins and advances with the monotonic clock, so
    /// a tick pinned by `--now` still sees its own duration (the lanes' window deadlines).
    static func clock(startingAt now: Date) -> @Sendable () -> Date {
        let start = DispatchTime.now().uptimeNanoseconds
        return { now.addingTimeInterval(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
    }

    /// Messages the lanes reached only after their customer's window had closed: left in the
    /// ledger as they were, for the next tick to schedule at the window's next opening.
    func logLate(_ late: [Attempt], summary: inout TickSummary) {
        for a in late { report(a, "deferred", reason: "window_closed_during_tick") }
        summary.deferred += late.count
    }

    /// An attempt the tick did not send and won't this time (`deferred`, `cancelled`): counted in
    /// `lembra_reminders_total` under that outcome and logged with why, and until when if known.
    func report(_ a: Attempt, _ outcome: String, reason: String, until: Date? = nil) {
        metrics.attempt(channel: a.channel, segment: a.segment, outcome: outcome)
        if let until {
            log.log(.info, outcome, ["attempt": a.id, "customer": a.customerID, "step": a.stepID, "channel": a.channel,
                                     "until": until, "reason": reason])
        } else {
            log.log(.info, outcome, ["attempt": a.id, "customer": a.customerID, "step": a.stepID, "channel": a.channel, "reason": reason])
        }
    }

    /// Updates the metrics and writes `metrics_file:` when configured. A write failure is logged,
    /// not fatal: metrics must never stop reminders. Only that file reads the metrics: without
    /// one, the status queries (which read every open debt) are not run at all.
    func export(_ summary: TickSummary, now: Date) throws(StoreError) {
        guard let path = config.metricsFile else { return }
        metrics.tick(summary, at: now, status: try ledger.status())
        do { try metrics.write(to: path) } catch {
            log.log(.warning, "metrics_write_failed", ["file": path, "error": "\(error)"])
        }
    }

    /// Customers planned and claimed in the first chunk; chunks then double up to `maxChunk`, so
    /// sending starts early and later chunks pay fewer commits. No more than 256: a chunk's claim
    /// holds the ledger's one writer while the lanes' commits wait behind it, and chunks of 512
    /// made the webhook tick about 5% slower (BENCHMARKS.md).
    static let firstChunk = 32
    static let maxChunk = 256

    /// Plans the due customers a chunk at a time; each chunk's claims and next checks are one
    /// commit, after which its claims go to their channels' lanes. Stops between chunks when the
    /// daemon is stopping: customers not reached stay due for the next tick.
    func planAndClaim(now: Date, summary: inout TickSummary, sources: [String: BatchSource]) throws(StoreError) {
        if try ledger.planAgainIfPolicyChanged(fingerprint: config.policy.fingerprint, now: now) {
            log.log(.notice, "plan_again", ["reason": "policy_changed"])
        }
        let ids = try ledger.dueCustomerIDs(now: now)
        let planner = Planner(policy: config.policy)
        let composer = MessageComposer(config: config)
        var start = 0, size = Self.firstChunk
        while start < ids.count, !stop.isSet {
            let snapshot = try ledger.planningSnapshot(customerIDs: Array(ids[start..<min(start + size, ids.count)]), now: now)
            let claimed = try claim(snapshot, planner: planner, composer: composer, now: now, summary: &summary)
            for (channel, attempts) in Dictionary(grouping: claimed, by: \.attempt.channel) { sources[channel]?.add(attempts) }
            start += size
            size = min(size * 2, Self.maxChunk)
        }
    }

    /// Plans, renders and claims one chunk of customers in one commit; returns the claimed
    /// attempts, each with the end of its customer's open window.
    ///
    /// The claim is made only if no control that stops messages (pause, opt-out, dispute,
    /// payment) committed since `snapshot` was read, and (several daemons) no other daemon leased
    /// one of its customers since. Otherwise nothing was written: the chunk is read (without the
    /// customers another daemon took), planned and rendered again, until a claim commits on a
    /// current view. Controls are rare next to the tick's claims, so this costs a re-plan now and
    /// then instead of a check per message. A stopping daemon gives up the chunk instead: its customers stay due.
    func claim(_ snapshot: PlanningSnapshot, planner: Planner, composer: MessageComposer, now: Date,
               summary: inout TickSummary) throws(StoreError) -> [QueuedAttempt] {
        var snapshot = snapshot
        while true {
            let plans = snapshot.cases.map { planner.plan($0, now: now) }
            let requests = zip(snapshot.cases, plans).flatMap { c, plan in
                plan.messages.map { composer.compose($0, customer: c.customer, now: now) }
            }
            let result = try ledger.claim(requests, saving: plans, now: now, ifControlsAt: snapshot.controlsVersion)
            switch result {
            case .claimed(let ids):
                return tally(claimed: Set(ids), requests: requests, plans: plans, cases: snapshot.cases, planner: planner,
                              now: now, summary: &summary)
            case .stale, .leasedElsewhere:
                let reason = result == .stale ? "controls_changed" : "leased_elsewhere"
                log.log(.info, "replanned", ["customers": snapshot.customerIDs.count, "reason": reason])
                if stop.isSet { return [] }
                snapshot = try ledger.planningSnapshot(customerIDs: snapshot.customerIDs, now: now)
            }
        }
    }

    /// Accounts for a chunk whose claim committed (held steps, skipped and claimed messages) and
    /// returns the claimed attempts, each with the end of its customer's open window. Kept apart
    /// from planning so a plan that turned out stale is neither logged nor counted.
    private func tally(claimed: Set<String>, requests: [ClaimRequest], plans: [CustomerPlan], cases: [CustomerCase],
                        planner: Planner, now: Date, summary: inout TickSummary) -> [QueuedAttempt] {
        for plan in plans {
            for h in plan.held {
                // A hold that only fixing the data lifts (amounts that don't add up) is a warning.
                log.log(h.reason == .amountOverflow ? .warning : .debug, "held",
                        ["customer": plan.customerID, "debt": h.key.debtID, "step": h.key.stepID, "reason": h.reason.rawValue])
            }
            summary.held += plan.held.count
            for s in plan.skipped {
                metrics.attempt(channel: s.message.channel, segment: s.message.segment, outcome: "skipped")
                log.log(.info, "skipped", ["customer": plan.customerID, "debt": s.key.debtID, "step": s.key.stepID, "reason": s.reason.rawValue])
            }
            summary.skipped += plan.skipped.count
        }
        for r in requests where !claimed.contains(r.attemptID) {
            if let reason = r.skipReason {
                summary.skipped += 1
                metrics.attempt(channel: r.message.channel, segment: r.message.segment, outcome: "skipped")
                log.log(.warning, "skipped", ["attempt": r.attemptID, "customer": r.message.customerID, "step": r.message.stepID, "reason": reason])
            }
        }
        summary.customersPlanned += cases.count
        summary.claimed += claimed.count
        // One deadline per time zone, not per message: customers mostly share the business's.
        let zones = Dictionary(cases.map { ($0.customer.id, $0.customer.timezone ?? "") }, uniquingKeysWith: { a, _ in a })
        var deadlines: [String: Date?] = [:]
        return requests.filter { claimed.contains($0.attemptID) }.map { r in
            let zone = zones[r.message.customerID] ?? ""
            if deadlines[zone] == nil { deadlines[zone] = .some(planner.sendingDeadline(timezone: zone.isEmpty ? nil : zone, now: now)) }
            return QueuedAttempt(Attempt(claimed: r, now: now), sendBy: deadlines[zone] ?? nil)
        }
    }

    /// A source of batches for every channel with something to send now or configured (the
    /// planner may claim for it), starting with the channel's leftovers that pass `recheck`.
    func sendingSources(_ channels: ChannelSet, progress: ProgressFile, now: Date, clock: @escaping @Sendable () -> Date,
                        summary: inout TickSummary) throws(StoreError) -> [String: BatchSource] {
        var sources: [String: BatchSource] = [:]
        for name in Set(config.channels.keys).union(try ledger.sendableChannels(now: now)) {
            let leftovers = try recheck(ledger.pending(now: now, channel: name, limit: BatchSource.leftoverLimit), now: now, summary: &summary)
            sources[name] = BatchSource(channel: name, ledger: ledger, log: log, leftovers: leftovers, limit: channels.batchLimit(name),
                                        lanes: channels.lanes(name), stop: stop, clock: clock, progress: progress)
        }
        return sources
    }

    /// Sends batches on one lane until its channel has nothing left. Each batch is marked
    /// `sending` in the same commit that records the lane's previous batch's outcomes, between
    /// batches or, on a channel that marks ahead, while the lane sends (`LaneLoop`). A batch that
    /// reaches the lane once the daemon is stopping (marked ahead, or as the stop came) is put
    /// back (`putBack`): nothing new starts.
    ///
    /// Each message's start goes to the progress file as it happens, and its outcome, decided
    /// then (retry time and all), with the next start, or before the transport waits (for
    /// replies, or for its rate), or after the batch: always before the commit that records it,
    /// and never later than the lane's next wait. A crash before that commit leaves the next tick
    /// exactly what this one was about to record (`Tick.recover`).
    func send(_ source: BatchSource, lane: Int, _ channels: ChannelSet, progress: ProgressFile, now: Date) throws(StoreError) -> TickSummary {
        var summary = TickSummary()
        let loop = LaneLoop(ahead: channels.marksAhead(source.channel) ? DispatchQueue(label: "lembra.lane") : nil)
        try loop.run(next: { outcomes, waiting throws(StoreError) in try source.next(recording: outcomes, waiting: waiting) }) { batch throws(StoreError) in
            if stop.isSet { return try putBack(batch, now: now, summary: &summary) }
            return sendBatch(batch, source: source, lane: lane, channels, progress: progress, now: now, summary: &summary)
        }
        return summary
    }

    /// A batch marked `sending` that the stopping daemon won't send: back to `claimed`, for the
    /// next tick, each logged as deferred. Its ids are `prepared` in the progress file, never
    /// started, so a crash before this commit ends the same way (`Recovery`).
    private func putBack(_ batch: [Attempt], now: Date, summary: inout TickSummary) throws(StoreError) -> LaneLoop.Outcomes {
        try ledger.recoverInterrupted(batch.map(\.id), to: .claimed, reason: "stopped_before_send", now: now)
        for a in batch { report(a, "deferred", reason: "daemon_stopping") }
        summary.deferred += batch.count
        return []
    }

    /// Sends one batch on `lane`; returns its outcomes, logged and counted.
    private func sendBatch(_ batch: [Attempt], source: BatchSource, lane: Int, _ channels: ChannelSet, progress: ProgressFile, now: Date,
                           summary: inout TickSummary) -> LaneLoop.Outcomes {
        let t0 = DispatchTime.now()
        var decided = [AttemptOutcome?](repeating: nil, count: batch.count)
        var unwritten: LaneLoop.Outcomes = [] // decided, for the progress file's next write
        let results = channels.send(batch, channel: source.channel, lane: lane, now: now, events: TransferEvents(
            willStart: { i in
                guard source.channelDown == nil else { return false }
                defer { unwritten.removeAll(keepingCapacity: true) }
                return progress.started(batch[i].id, after: unwritten)
            },
            didFinish: { [self] i, result in
                let outcome = outcome(result, for: batch[i], source: source, channels: channels, now: now)
                decided[i] = outcome
                unwritten.append((batch[i].id, outcome))
            },
            willWait: {
                progress.finished(unwritten)
                unwritten.removeAll(keepingCapacity: true)
            }))
        progress.finished(unwritten)
        let ms = Int((DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1_000_000)
        var outcomes: LaneLoop.Outcomes = []
        var lines = ""
        defer { log.write(lines: lines) }
        for (i, (attempt, result)) in zip(batch, results).enumerated() {
            let outcome = decided[i] ?? self.outcome(result, for: attempt, source: source, channels: channels, now: now)
            outcomes.append((attempt.id, outcome))
            metrics.attempt(channel: attempt.channel, segment: attempt.segment, outcome: outcome.name)
            lines += outcomeLine(attempt, outcome, ms: ms)
            switch outcome {
            case .sent: summary.sent += 1
            case .retry: summary.retried += 1
            case .dead: summary.dead += 1
            case .inDoubt: summary.inDoubt += 1
            case .channelDown: summary.channelDown += 1
            }
        }
        return outcomes
    }

    /// What the ledger records for `result` on `source`'s channel. A failure of the channel's
    /// (`DeliveryError.isChannelWide`, which never may have arrived) marks the channel down for
    /// the rest of the tick, and it and every message held back since wait as `channel_down`,
    /// their tries not spent: a wrong password must not kill the reminders it touched. Any other
    /// result goes through the retry policy (`record`).
    func outcome(_ result: DeliveryOutcome, for attempt: Attempt, source: BatchSource, channels: ChannelSet, now: Date) -> AttemptOutcome {
        switch result {
        case .retry(let e, _) where e.isChannelWide && !e.mayHaveArrived, .failed(let e) where e.isChannelWide && !e.mayHaveArrived:
            let down = source.markDown(ChannelDown(error: e, until: now.addingTimeInterval(config.retry.delay(afterTries: 1, random: .random(in: 0..<1)))))
            return .channelDown(at: down.until, reason: "channel_down: \(e.description)")
        case .retry(let e, _) where e.wasHeldBack:
            if let down = source.channelDown { return .channelDown(at: down.until, reason: down.reason) }
        default: break
        }
        return record(result, for: attempt, resendIsSafe: resendIsSafe(attempt, channels), now: now)
    }

    /// Maps a delivery result to what the ledger records, applying the retry policy.
    ///
    /// Whether a retried message may have arrived (`DeliveryError.mayHaveArrived`; always, for
    /// an unknown outcome re-sent because the channel deduplicates) goes to the ledger, which
    /// keeps it in mind should the retry be cancelled (see `AttemptOutcome.retry`).
    func record(_ result: DeliveryOutcome, for attempt: Attempt, resendIsSafe: Bool, now: Date) -> AttemptOutcome {
        switch result {
        case .delivered: return .sent
        case .failed(let e): return .dead(reason: e.description)
        case .unknown(let e):
            return resendIsSafe ? retry(e, after: nil, mayHaveArrived: true, attempt: attempt, now: now) : .inDoubt(reason: e.description)
        case .retry(let e, let after): return retry(e, after: after, mayHaveArrived: e.mayHaveArrived, attempt: attempt, now: now)
        }
    }

    /// Exponential backoff with jitter, at least the server's `Retry-After`; dead when out of tries.
    /// The time may fall outside the customer's sending window: the retry is then deferred when a
    /// tick reads it (`recheck`), since the customer's zone is not at hand here.
    func retry(_ e: DeliveryError, after: Double?, mayHaveArrived: Bool, attempt: Attempt, now: Date) -> AttemptOutcome {
        if attempt.tries + 1 >= config.retry.maxTries { return .dead(reason: "out of tries: \(e.description)") }
        let delay = max(after ?? 0, config.retry.delay(afterTries: attempt.tries + 1, random: Double.random(in: 0..<1)))
        return .retry(at: now.addingTimeInterval(delay), reason: e.description, mayHaveArrived: mayHaveArrived)
    }

    /// The log line of a message's outcome; `send` writes a batch's lines together.
    func outcomeLine(_ a: Attempt, _ outcome: AttemptOutcome, ms: Int) -> String {
        switch outcome {
        case .sent:
            log.line(.info, "sent", texts: ["attempt": a.id, "debt": a.debtIDs.joined(separator: ","), "customer": a.customerID, "segment": a.segment,
                                            "step": a.stepID, "channel": a.channel], count: ("ms", ms))
        case .retry(let at, let reason, _):
            log.line(.warning, "retry", ["attempt": a.id, "customer": a.customerID, "step": a.stepID, "channel": a.channel,
                                         "next": at, "reason": reason, "ms": ms])
        case .dead(let reason):
            log.line(.error, "dead", ["attempt": a.id, "customer": a.customerID, "step": a.stepID, "channel": a.channel, "reason": reason, "ms": ms])
        case .channelDown(let at, let reason):
            // The channel's own line (`logDown`) is the warning; one per message would flood the log.
            log.line(.info, "channel_down", ["attempt": a.id, "customer": a.customerID, "step": a.stepID, "channel": a.channel,
                                             "next": at, "reason": reason, "ms": ms])
        case .inDoubt(let reason):
            log.line(.warning, "in_doubt", ["attempt": a.id, "customer": a.customerID, "step": a.stepID, "channel": a.channel, "reason": reason, "ms": ms])
        }
    }
}
