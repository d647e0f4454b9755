import Foundation
import LembraCore
import LembraStore
import Testing

/// Payment promises on a real ledger: recorded once per debt step, shown in `history`, and
/// handed to the planner as the debt's promise (`CustomerCase.promises`).
@Suite struct PromiseTests {
    static let now = LedgerFixture.now
    static let due = CalendarDate(iso: "2026-11-17")!
    static let through = CalendarDate(iso: "2026-11-25")!

    func promise(_ f: LedgerFixture, step: String = "forgetful.1d", through: CalendarDate = through, due: CalendarDate = due,
                 debt: String = "d1") throws -> PromiseOutcome {
        try f.ledger.promise(debtID: debt, dueDate: due, stepID: step, through: through, now: Self.now)
    }

    @Test func aPromiseIsRecordedOncePerStepAndShownInHistory() throws {
        let f = try LedgerFixture()
        #expect(try f.ledger.promiseSubject(debtID: "d1", dueDate: Self.due, stepID: "forgetful.1d")?.alreadyUsed == false)
        #expect(try promise(f) == .recorded)
        #expect(try promise(f, through: CalendarDate(iso: "2026-11-20")!) == .alreadyUsed)
        #expect(try f.ledger.promiseSubject(debtID: "d1", dueDate: Self.due, stepID: "forgetful.1d")?.alreadyUsed == true)
        let events = try f.ledger.history(id: "d1").filter { $0.kind == "promised" }
        #expect(events.count == 1 && events[0].summary.contains("through=2026-11-25") && events[0].summary.contains("step=forgetful.1d"))
        #expect(!events[0].summary.contains("Ana") && !events[0].summary.contains("ana@"))
    }

    @Test func thePlannerSeesTheLatestPromiseOfTheCurrentDueDate() throws {
        let f = try LedgerFixture()
        #expect(try promise(f) == .recorded)
        #expect(try promise(f, step: "forgetful.4d", through: CalendarDate(iso: "2026-11-27")!) == .recorded)
        let c = try #require(try f.ledger.cases(customerIDs: ["c1"], now: Self.now).first)
        #expect(c.promises == ["d1": DebtPromise(through: CalendarDate(iso: "2026-11-27")!, stepID: "forgetful.4d")])
        // The debt is planned again at once: the hold and the confirmation are the next tick's.
        #expect(try f.ledger.dueCustomerIDs(now: Self.now) == ["c1"])
    }

    @Test func aPaidOrRenegotiatedDebtHasNothingToPromise() throws {
        let f = try LedgerFixture()
        #expect(try promise(f, due: CalendarDate(iso: "2026-11-10")!) == .notOpen)
        #expect(try promise(f, debt: "nope") == .notOpen)
        #expect(try f.ledger.promiseSubject(debtID: "d1", dueDate: CalendarDate(iso: "2026-11-10")!, stepID: "s") == nil)
        #expect(try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now))
        #expect(try promise(f) == .notOpen)
        #expect(try f.ledger.cases(customerIDs: ["c1"], now: Self.now).first?.promises.isEmpty == true)
    }

    /// A confirmation claimed but not yet sent states the amount and the promised date: a
    /// payment, a dispute or new terms cancel it in their own commit, as they do a reminder.
    @Test(arguments: ["pay", "dispute", "renegotiate"])
    func aPaymentDisputeOrNewTermsCancelAPendingConfirmation(_ control: String) throws {
        let f = try LedgerFixture()
        let id = try #require(try f.claim(f.message(["d1"], step: "promise-confirmed:forgetful.1d", kind: .promiseConfirmed)).first)
        switch control {
        case "pay": _ = try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now)
        case "dispute": _ = try f.ledger.dispute(debtID: "d1", reason: "never bought it", now: Self.now)
        default:
            _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: 8_000), dueDate: Self.due))],
                                         now: Self.now)
        }
        #expect(try f.ledger.sendable(now: Self.now).map(\.id).contains(id) == false, "\(control) must cancel the confirmation")
    }

    /// A second promise (a link from an older reminder) supersedes the first: the first one's
    /// confirmation, still waiting (for the sending window), would state the old date.
    @Test func aNewerPromiseCancelsTheOlderOnesPendingConfirmation() throws {
        let f = try LedgerFixture()
        #expect(try promise(f) == .recorded)
        let id = try #require(try f.claim(f.message(["d1"], step: "promise-confirmed:forgetful.1d", kind: .promiseConfirmed)).first)
        #expect(try promise(f, step: "forgetful.4d", through: CalendarDate(iso: "2026-11-27")!) == .recorded)
        #expect(try f.ledger.sendable(now: Self.now).map(\.id).contains(id) == false)
    }
}
