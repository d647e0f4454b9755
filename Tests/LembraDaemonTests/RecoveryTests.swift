import Foundation
@testable import LembraDaemon
import LembraStore
import Testing

/// The recovery rule for one attempt a crash left `sending`, from its last event in the progress file.
@Suite struct RecoveryTests {
    static let retry = AttemptOutcome.retry(at: Date(timeIntervalSince1970: 1_763_470_800), reason: "step=rcpt reply_code=451", mayHaveArrived: false)

    @Test(arguments: [AttemptOutcome.sent, retry, .dead(reason: "step=rcpt reply_code=550"), .inDoubt(reason: "step=timeout")])
    func aFinishedTransferIsRecordedAsTheLivePathWouldHave(outcome: AttemptOutcome) {
        #expect(Recovery.decide(.finished(outcome), resendIsSafe: false) == .record(outcome))
        #expect(Recovery.decide(.finished(outcome), resendIsSafe: true) == .record(outcome))
    }

    @Test func oneThatNeverStartedGoesBackToClaimed() {
        #expect(Recovery.decide(.prepared, resendIsSafe: false) == .requeue)
        #expect(Recovery.decide(.prepared, resendIsSafe: true) == .requeue)
    }

    @Test func oneOnTheWireMayHaveArrived() {
        #expect(Recovery.decide(.started, resendIsSafe: false) == .inDoubt)
        #expect(Recovery.decide(.started, resendIsSafe: true) == .resend)
    }

    /// No trusted file, or one that never mentions the attempt: the batch rule.
    @Test func withoutAWordFromTheFileTheBatchRuleApplies() {
        #expect(Recovery.decide(nil, resendIsSafe: false) == .inDoubt)
        #expect(Recovery.decide(nil, resendIsSafe: true) == .resend)
    }
}
