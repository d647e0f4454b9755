import LembraCore
import Testing

@Suite struct LadderTests {
    let ladder = Ladder(name: "short_delay", steps: [
        LadderStep(id: "short_delay.15d", at: 15, channel: "email", template: "offer", repeatEvery: 7, maxRepeats: 2),
        LadderStep(id: "short_delay.6d", at: 6, channel: "email", template: "second-notice"),
    ])

    @Test func occurrencesAreSortedByDayWithRepeatIDs() {
        #expect(ladder.occurrences.map(\.stepID) == ["short_delay.6d", "short_delay.15d", "short_delay.15d#2", "short_delay.15d#3"])
        #expect(ladder.occurrences.map(\.day) == [6, 15, 22, 29])
    }

    @Test func repeatsStopAtMaxRepeats() {
        let step = LadderStep(id: "s", at: 1, channel: "email", template: "t", repeatEvery: 3)
        #expect(step.occurrences.map(\.stepID) == ["s", "s#2", "s#3", "s#4", "s#5", "s#6"])
        #expect(LadderStep(id: "s", at: 1, channel: "email", template: "t", repeatEvery: 3, maxRepeats: 0).occurrences.count == 1)
        #expect(LadderStep(id: "s", at: 1, channel: "email", template: "t", repeatEvery: 0).occurrences.count == 1)
        #expect(LadderStep(id: "s", at: 1, channel: "email", template: "t").occurrences.count == 1)
    }

    @Test func sameDayStepsKeepConfigOrder() {
        let l = Ladder(name: "chronic", steps: [
            LadderStep(id: "b", at: 3, channel: "crm", template: "call"),
            LadderStep(id: "a", at: 3, channel: "email", template: "firm"),
            LadderStep(id: "c", at: 1, channel: "email", template: "firm"),
        ])
        #expect(l.occurrences.map(\.stepID) == ["c", "b", "a"])
    }

    @Test func defaultIDs() {
        #expect(LadderStep.defaultID(ladder: "forgetful", at: 1) == "forgetful.1d")
        #expect(LadderStep.defaultID(ladder: "upcoming", at: -3) == "upcoming.-3d")
    }
}
