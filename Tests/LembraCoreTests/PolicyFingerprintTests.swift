import Foundation
import LembraCore
import Testing

/// The fingerprint the ledger keeps: the same for the same policy however it was built, in any
/// process, and another when anything the planner decides with changes.
@Suite struct PolicyFingerprintTests {
    @Test func theSamePolicyHasTheSameFingerprint() {
        let a = TestPolicy.make()
        var b = TestPolicy.make()
        b.ladders = Dictionary(uniqueKeysWithValues: a.ladders.sorted { $0.key > $1.key }.map { ($0.key, $0.value) })
        b.handoffChannels = Set(Array(a.handoffChannels).reversed())
        #expect(a.fingerprint == b.fingerprint)
    }

    @Test func anyChangeTheDecisionsDependOnChangesIt() {
        let base = TestPolicy.make()
        var changes: [CollectionPolicy] = []
        var p = base; p.ladders["forgetful"]?.steps[0].at = 2; changes.append(p)
        p = base; p.ladders["forgetful"]?.steps[0].template = "firm"; changes.append(p)
        p = base; p.upcoming.steps.append(LadderStep(id: "upcoming.-1d", at: -1, channel: "email", template: "upcoming")); changes.append(p)
        p = base; p.segments[0].any[0].value = 4; changes.append(p)
        p = base; p.window.days[5] = nil; changes.append(p)
        p = base; p.window.holidays.extra = [day("2026-01-25")]; changes.append(p)
        p = base; p.limits.minGap = 24 * 3600; changes.append(p)
        p = base; p.handoffChannels = []; changes.append(p)
        p = base; p.timeZone = Zone.manaus; changes.append(p)
        p = base; p.onPaid.steps = []; changes.append(p)
        let prints = changes.map(\.fingerprint)
        #expect(!prints.contains(base.fingerprint))
        #expect(Set(prints).count == prints.count)
    }
}
