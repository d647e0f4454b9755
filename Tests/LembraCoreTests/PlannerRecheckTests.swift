import Foundation
import LembraCore
import Testing

/// The planner's second look at an attempt claimed in an earlier tick (a retry, a claim a crash
/// left unsent), with fixed clocks. November 2026 in São Paulo: Fri 20 is a holiday, Sun 22 too.
@Suite struct PlannerRecheckTests {
    let planner = Planner(policy: TestPolicy.make())

    func recheck(at now: String, _ facts: PendingFacts = PendingFacts(kind: .reminder)) -> PendingVerdict {
        planner.recheck(facts, now: instant(now))
    }

    @Test func insideTheWindowItGoes() {
        #expect(recheck(at: "2026-11-18T08:00") == .send)
        #expect(recheck(at: "2026-11-18T19:59") == .send)
        #expect(recheck(at: "2026-11-21T13:59") == .send, "Saturday morning")
    }

    /// The reviewer's case: a retry backed off from 19:58 to 20:03, read by a tick at 23:30.
    @Test(arguments: [
        ("2026-11-18T20:03", "2026-11-19T08:00", HoldReason.outsideWindow),
        ("2026-11-18T23:30", "2026-11-19T08:00", .outsideWindow),
        ("2026-11-19T02:00", "2026-11-19T08:00", .outsideWindow),
        ("2026-11-21T14:00", "2026-11-23T08:00", .outsideWindow),  // Saturday afternoon → Monday
        ("2026-11-22T10:00", "2026-11-23T08:00", .outsideWindow),  // Sunday
        ("2026-11-20T10:00", "2026-11-21T08:00", .holiday),        // Consciência Negra → Saturday
        ("2026-11-19T20:00", "2026-11-21T08:00", .outsideWindow),  // Thursday night, then the holiday
    ] as [(String, String, HoldReason)])
    func outsideTheWindowItWaitsForTheNextOpening(now: String, opening: String, reason: HoldReason) {
        #expect(recheck(at: now) == .wait(until: instant(opening), reason: reason))
    }

    @Test func theWindowIsTheCustomersOwn() {
        let manaus = PendingFacts(kind: .reminder, timezone: Zone.manaus.identifier)
        // 20:30 in São Paulo is 19:30 in Manaus: still inside its window.
        #expect(recheck(at: "2026-11-18T20:30", manaus) == .send)
        // 21:30 in São Paulo is 20:30 in Manaus: wait for 08:00 there (09:00 in São Paulo).
        #expect(recheck(at: "2026-11-18T21:30", manaus) == .wait(until: instant("2026-11-19T08:00", Zone.manaus), reason: .outsideWindow))
        #expect(recheck(at: "2026-11-19T08:30", manaus) == .wait(until: instant("2026-11-19T08:00", Zone.manaus), reason: .outsideWindow))
        // An unknown zone falls back to the business's, as the planner does.
        let bogus = PendingFacts(kind: .reminder, timezone: "Mars/Olympus_Mons")
        #expect(recheck(at: "2026-11-18T20:30", bogus) == .wait(until: instant("2026-11-19T08:00"), reason: .outsideWindow))
    }

    @Test func aPaidOrDisputedDebtCancelsAReminderButNotAThankYou() {
        #expect(recheck(at: "2026-11-18T10:00", PendingFacts(kind: .reminder, anyDebtPaid: true)) == .cancel(.paid))
        #expect(recheck(at: "2026-11-18T10:00", PendingFacts(kind: .reminder, anyDebtDisputed: true)) == .cancel(.disputed))
        #expect(recheck(at: "2026-11-18T10:00", PendingFacts(kind: .thanks, anyDebtPaid: true)) == .send)
        #expect(recheck(at: "2026-11-18T23:00", PendingFacts(kind: .thanks, anyDebtPaid: true))
                == .wait(until: instant("2026-11-19T08:00"), reason: .outsideWindow), "a thank-you obeys the window too")
    }

    /// A promise confirmation left over from an earlier tick (a retry, a crash) is stopped by a
    /// payment or a dispute as a reminder is: it would confirm a promise about a debt settled or
    /// contested since.
    @Test func aPaidOrDisputedDebtCancelsAPromiseConfirmation() {
        #expect(recheck(at: "2026-11-18T10:00", PendingFacts(kind: .promiseConfirmed, anyDebtPaid: true)) == .cancel(.paid))
        #expect(recheck(at: "2026-11-18T10:00", PendingFacts(kind: .promiseConfirmed, anyDebtDisputed: true)) == .cancel(.disputed))
        #expect(recheck(at: "2026-11-18T10:00", PendingFacts(kind: .promiseConfirmed)) == .send)
    }

    @Test func optOutAndPauseCancelEvenOutsideTheWindow() {
        #expect(recheck(at: "2026-11-18T10:00", PendingFacts(kind: .reminder, optedOut: true)) == .cancel(.optedOut))
        #expect(recheck(at: "2026-11-18T23:30", PendingFacts(kind: .thanks, optedOut: true)) == .cancel(.optedOut))
        #expect(recheck(at: "2026-11-18T10:00", PendingFacts(kind: .reminder, pausedThrough: .endOfTime)) == .cancel(.paused))
        #expect(recheck(at: "2026-11-18T10:00", PendingFacts(kind: .reminder, pausedThrough: day("2026-11-18"))) == .cancel(.paused))
        #expect(recheck(at: "2026-11-18T10:00", PendingFacts(kind: .reminder, pausedThrough: day("2026-11-17"))) == .send,
                "a pause that ended yesterday holds nothing")
    }

    /// The recheck is the planner's own rule: over a week, every half hour and in two zones, it
    /// lets an attempt go exactly when the planner would send a new reminder, and otherwise
    /// waits for the same opening with the same reason.
    @Test func agreesWithThePlannersHoldForNewReminders() {
        let d = debt("d1", due: "2026-11-17")
        for zone in [Zone.saoPaulo, Zone.manaus] {
            var now = instant("2026-11-18T06:00") // day 1 in both zones: a step is due all week
            while now < instant("2026-11-25T00:00") {
                let plan = planner.plan(CustomerCase(customer: customer(zone: zone), debts: [d]), now: now)
                let verdict = planner.recheck(PendingFacts(kind: .reminder, timezone: zone.identifier), now: now)
                if let held = plan.held.first {
                    #expect(verdict == .wait(until: held.until!, reason: held.reason), "\(Timestamp.format(now)) \(zone.identifier)")
                } else {
                    #expect(!plan.messages.isEmpty && verdict == .send, "\(Timestamp.format(now)) \(zone.identifier)")
                }
                now = now.addingTimeInterval(1800)
            }
        }
    }
}
