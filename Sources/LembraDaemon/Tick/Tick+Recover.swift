import Foundation
import LembraCore
import LembraStore

extension Tick {
    /// Attempts left `sending` by a crash, settled by what the progress file says of each
    /// (`Recovery`): the outcome of a transfer that finished is recorded as the live path would
    /// have; one that never started goes back to `claimed`; one cut short on the wire (at most one
    /// per SMTP connection) may have arrived. So may every attempt when the file can't be trusted
    /// (missing, from another boot, damaged): then the whole batch is, as without a file.
    ///
    /// What may have arrived is re-sent under its own id where that is harmless (webhooks, the
    /// outbox, a thank-you) or configured (`in_doubt: resend`, same Message-ID); otherwise it is
    /// recorded as in doubt for the operator. Either way the ledger remembers it may have arrived.
    ///
    /// Those to send go back to `claimed`, and the tick reads them right after with its other
    /// leftovers, which the planner checks again before anything is sent (`recheck`): one whose
    /// debt was paid or disputed, or whose customer paused or opted out, while it hung is
    /// cancelled (nothing is in flight any more, so nothing else could stop it), and one outside
    /// the customer's sending window waits for it to open.
    ///
    /// Runs before this tick's progress file replaces the previous one; a crash in the middle
    /// leaves that file for the next try, which settles what is still `sending` the same way.
    func recover(_ channels: ChannelSet, now: Date, summary: inout TickSummary) throws(StoreError) {
        let interrupted = try ledger.interrupted(now: now)
        guard !interrupted.isEmpty else { return }
        let progress = ProgressRecord.read(path: config.progressFile, bootID: bootID)
        var recorded: [(attempt: Attempt, outcome: AttemptOutcome)] = []
        var requeue: [Attempt] = [], resend: [Attempt] = [], doubt: [Attempt] = []
        // Another daemon's sends (it died; this one took them over): this host's file can't speak for them.
        let foreign = try ledger.markedByAnotherDaemon(interrupted.map(\.id))
        for a in interrupted {
            switch Recovery.decide(foreign.contains(a.id) ? nil : progress.event(a.id), resendIsSafe: resendIsSafe(a, channels)) {
            case .record(let outcome): recorded.append((a, outcome))
            case .requeue: requeue.append(a)
            case .resend: resend.append(a)
            case .inDoubt: doubt.append(a)
            }
        }
        try ledger.record(recorded.map { ($0.attempt.id, $0.outcome) }, now: now)
        try ledger.recoverInterrupted(requeue.map(\.id), to: .claimed, reason: "interrupted_before_send", now: now)
        try ledger.recoverInterrupted(resend.map(\.id), to: .claimed, reason: "interrupted_resend", mayHaveArrived: true, now: now)
        try ledger.recoverInterrupted(doubt.map(\.id), to: .inDoubt, reason: "interrupted_mid_send", mayHaveArrived: true, now: now)
        log.log(.notice, "recovered", ["attempts": interrupted.count, "progress": progress.distrust.map { "untrusted_\($0)" } ?? "trusted",
                                       "recorded": recorded.count, "requeued": requeue.count, "resent": resend.count, "in_doubt": doubt.count])
        var inDoubt = doubt.map { (attempt: $0, reason: "interrupted_mid_send") }
        for (a, outcome) in recorded {
            metrics.attempt(channel: a.channel, segment: a.segment, outcome: outcome.name)
            switch outcome {
            case .sent: summary.sent += 1
            case .retry: summary.retried += 1
            case .dead: summary.dead += 1
            case .channelDown: summary.channelDown += 1
            case .inDoubt(let reason): inDoubt.append((a, reason))
            }
        }
        for (a, reason) in inDoubt {
            log.log(.warning, "in_doubt", ["attempt": a.id, "customer": a.customerID, "channel": a.channel, "step": a.stepID, "reason": reason])
        }
        summary.inDoubt += inDoubt.count
    }

    /// Whether sending `a` again can't hurt: its channel deduplicates (webhooks) or overwrites (the
    /// outbox), the operator chose `in_doubt: resend`, or it is a thank-you, which charges nothing.
    /// A promise confirmation is one per promise, like a reminder: an e-mail one in doubt is sent
    /// again only under `in_doubt: resend`.
    func resendIsSafe(_ a: Attempt, _ channels: ChannelSet) -> Bool {
        config.inDoubt == .resend || channels.resendIsSafe(a.channel) || a.kind == PlannedMessage.Kind.thanks.rawValue
    }
}
