import Foundation
import LembraCore
import Testing

/// A debt due 2026-11-10 (Tuesday), forgetful ladder: `forgetful.1d` (e-mail) on 11-11 and
/// `forgetful.4d` (SMS) on 11-14. The customer promised on 11-11, from the 1d message.
@Suite struct PlannerPromiseTests {
    let planner = Planner(policy: TestPolicy.make())
    let d = debt("d1", due: "2026-11-10")

    func plan(at now: String, through: String, ledger: [String], step: String = "forgetful.1d", contacts: [String] = []) -> CustomerPlan {
        var c = CustomerCase(customer: customer(), debts: [d], ledger: Set(ledger.map { key(d, $0) }))
        c.promises["d1"] = DebtPromise(through: day(through), stepID: step)
        c.recentContacts = contacts.map { instant($0) }
        return planner.plan(c, now: instant(now))
    }

    @Test func theConfirmationGoesOutOnceOnTheStepsChannel() throws {
        let p = plan(at: "2026-11-11T10:00", through: "2026-11-16", ledger: ["upcoming.-3d", "upcoming.0d", "forgetful.1d"])
        let m = try #require(p.messages.first)
        #expect(p.messages.count == 1 && m.kind == .promiseConfirmed && m.template == "promise-confirmed" && m.channel == "email")
        #expect(m.items.map(\.key) == [key(d, "promise-confirmed:forgetful.1d")])
        let again = plan(at: "2026-11-11T10:05", through: "2026-11-16",
                         ledger: ["upcoming.-3d", "upcoming.0d", "forgetful.1d", "promise-confirmed:forgetful.1d"])
        #expect(again.messages.isEmpty)
    }

    @Test func aStepDueDuringThePromiseIsHeldUntilTheDayAfterIt() throws {
        let sent = ["upcoming.-3d", "upcoming.0d", "forgetful.1d", "promise-confirmed:forgetful.1d"]
        let p = plan(at: "2026-11-14T10:00", through: "2026-11-14", ledger: sent)
        #expect(p.messages.isEmpty)
        #expect(p.held.map(\.key) == [key(d, "forgetful.4d")] && p.held.map(\.reason) == [.promised])
        #expect(p.held.map(\.until) == [instant("2026-11-15")])
        #expect(p.nextCheck["d1"] == .some(instant("2026-11-15")))
        // Without the promise the same step goes out: the hold is the promise's.
        let c = CustomerCase(customer: customer(), debts: [d], ledger: Set(sent.map { key(d, $0) }))
        #expect(planner.plan(c, now: instant("2026-11-14T10:00")).messages.map(\.template) == ["friendly-sms"])
    }

    @Test func afterAPromisePassedUnpaidTheNextReminderIsTheBrokenPromise() throws {
        let sent = ["upcoming.-3d", "upcoming.0d", "forgetful.1d", "promise-confirmed:forgetful.1d"]
        // Sat 14 (the 4d step) was held by the promise; Sun 15 is a holiday; Mon 16 the customer is
        // six days late (short_delay) and its 6d step is the next reminder.
        let p = plan(at: "2026-11-16T10:00", through: "2026-11-14", ledger: sent)
        let m = try #require(p.messages.first)
        #expect(p.messages.count == 1 && m.template == "broken-promise" && m.channel == "email")
        #expect(m.items.map(\.key) == [key(d, "short_delay.6d")])
        // Once a later step is in the ledger, the ladder's own templates come back.
        let later = plan(at: "2026-11-25T10:00", through: "2026-11-14", ledger: sent + ["short_delay.6d"])
        #expect(later.messages.map(\.template) == ["offer"])
    }

    @Test func aConfirmationThatCouldNotGoBeforeThePromisePassedIsSkippedWithAReason() throws {
        let p = plan(at: "2026-11-17T10:00", through: "2026-11-16", ledger: ["upcoming.-3d", "upcoming.0d", "forgetful.1d"])
        #expect(p.skipped.map(\.key) == [key(d, "promise-confirmed:forgetful.1d")] && p.skipped.map(\.reason) == [.expired])
    }

    /// The promise's end passed before the SMS step: the step goes out with the short
    /// broken-promise text, not the e-mail one with its `Subject:` line.
    @Test func aBrokenPromiseOnATextChannelIsTheShortTemplate() throws {
        let sent = ["upcoming.-3d", "upcoming.0d", "forgetful.1d", "promise-confirmed:forgetful.1d"]
        let p = plan(at: "2026-11-14T10:00", through: "2026-11-12", ledger: sent)
        let m = try #require(p.messages.first)
        #expect(p.messages.count == 1 && m.template == "broken-promise-sms" && m.channel == "sms" && m.kind == .reminder)
        #expect(m.items.map(\.key) == [key(d, "forgetful.4d")])
    }

    /// A promise made from the SMS step's link is confirmed on that channel, in its short wording.
    @Test func theConfirmationOfAPromiseFromATextChannelIsTheShortTemplate() throws {
        let p = plan(at: "2026-11-14T10:00", through: "2026-11-18", ledger: ["upcoming.-3d", "upcoming.0d", "forgetful.1d", "forgetful.4d"],
                     step: "forgetful.4d")
        let m = try #require(p.messages.first)
        #expect(p.messages.count == 1 && m.kind == .promiseConfirmed && m.template == "promise-confirmed-sms" && m.channel == "sms")
        #expect(m.items.map(\.key) == [key(d, "promise-confirmed:forgetful.4d")])
    }

    /// The customer just asked for it: the confirmation is not held by `min_gap` behind the
    /// reminder that carried the link (sent minutes ago), nor by the weekly cap, while a
    /// reminder is.
    @Test func theCapsDoNotHoldTheConfirmation() throws {
        let contacts = ["2026-11-09T10:00", "2026-11-10T10:00", "2026-11-11T09:55"]
        let p = plan(at: "2026-11-11T10:00", through: "2026-11-16", ledger: ["upcoming.-3d", "upcoming.0d", "forgetful.1d"], contacts: contacts)
        #expect(p.messages.map(\.kind) == [.promiseConfirmed] && p.held.isEmpty, "\(p)")
        var c = CustomerCase(customer: customer(), debts: [d], ledger: Set(["upcoming.-3d", "upcoming.0d"].map { key(d, $0) }))
        c.recentContacts = contacts.map { instant($0) }
        #expect(planner.plan(c, now: instant("2026-11-11T10:00")).held.map(\.reason) == [.minGap], "a reminder is held")
    }
}
