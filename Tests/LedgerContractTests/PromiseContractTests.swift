import Foundation
import LembraCore
import LembraStore
import Testing

/// Payment promises on either ledger: recorded once per debt step, shown in `history`, handed to
/// the planner as the debt's promise, and cancelling what states the old terms.
struct PromiseContractTests {
    static let now = ContractFixture.now
    static let due = ContractFixture.d1Due
    static let through = CalendarDate(iso: "2026-11-25")!

    func promise(_ f: ContractFixture, step: String = "forgetful.1d", through: CalendarDate = through, due: CalendarDate = due,
                 debt: String = "d1") throws -> PromiseOutcome {
        try f.ledger.promise(debtID: debt, dueDate: due, stepID: step, through: through, now: Self.now)
    }

    @Test(arguments: Backend.allCases)
    func aPromiseIsRecordedOncePerStepAndShownInHistory(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let subject = try #require(try f.ledger.promiseSubject(debtID: "d1", dueDate: Self.due, stepID: "forgetful.1d"))
        #expect(!subject.alreadyUsed && subject.debt.id == "d1" && subject.debt.amount == Money(cents: 10_000) && subject.timezone == nil)
        #expect(try promise(f) == .recorded)
        #expect(try promise(f, through: CalendarDate(iso: "2026-11-20")!) == .alreadyUsed)
        #expect(try f.ledger.promiseSubject(debtID: "d1", dueDate: Self.due, stepID: "forgetful.1d")?.alreadyUsed == true)
        let events = try f.ledger.history(id: "d1").filter { $0.kind == "promised" }
        #expect(events.count == 1 && events[0].summary == "through=2026-11-25 step=forgetful.1d")
    }

    @Test(arguments: Backend.allCases)
    func thePlannerSeesTheLatestPromiseOfTheCurrentDueDate(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        try f.saveChecks(["d1": nil, "d2": nil])
        #expect(try promise(f) == .recorded)
        #expect(try promise(f, step: "forgetful.4d", through: CalendarDate(iso: "2026-11-27")!) == .recorded)
        let c = try #require(try f.planned())
        #expect(c.promises == ["d1": DebtPromise(through: CalendarDate(iso: "2026-11-27")!, stepID: "forgetful.4d")])
        // The debt is planned again at once: the hold and the confirmation are the next tick's.
        #expect(try f.ledger.dueCases(now: Self.now).map(\.customer.id) == ["c1"])
    }

    @Test(arguments: Backend.allCases)
    func aPaidOrRenegotiatedDebtHasNothingToPromise(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        #expect(try promise(f, due: CalendarDate(iso: "2026-11-10")!) == .notOpen)
        #expect(try promise(f, debt: "nope") == .notOpen)
        #expect(try f.ledger.promiseSubject(debtID: "d1", dueDate: CalendarDate(iso: "2026-11-10")!, stepID: "s") == nil)
        #expect(try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now))
        #expect(try promise(f) == .notOpen)
        #expect(try f.ledger.promiseSubject(debtID: "d1", dueDate: Self.due, stepID: "forgetful.1d") == nil)
        #expect(try f.planned()?.promises.isEmpty == true)
    }

    /// A confirmation claimed but not yet sent states the amount and the promised date: a
    /// payment, a dispute or new terms cancel it in their own commit, as they do a reminder.
    @Test(arguments: Backend.allCases, ["pay", "dispute", "renegotiate"])
    func aPaymentDisputeOrNewTermsCancelAPendingConfirmation(_ backend: Backend, _ control: String) throws {
        let f = try ContractFixture(backend)
        let id = try #require(try f.claim(f.message(["d1"], step: "promise-confirmed:forgetful.1d", kind: .promiseConfirmed)).first)
        switch control {
        case "pay": _ = try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now)
        case "dispute": _ = try f.ledger.dispute(debtID: "d1", reason: "never bought it", now: Self.now)
        default:
            _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: 8_000), dueDate: Self.due))],
                                         now: Self.now)
        }
        #expect(try f.ledger.record([], markingSending: [id], now: Self.now).isEmpty, "\(control) must cancel the confirmation")
        #expect(try f.ledger.history(id: "d1").contains { $0.summary.contains("attempt=\(id)") && $0.summary.contains("state=cancelled") })
    }

    /// A second promise (a link from an older reminder) supersedes the first: the first one's
    /// confirmation, still waiting, would state the old date.
    @Test(arguments: Backend.allCases)
    func aNewerPromiseCancelsTheOlderOnesPendingConfirmation(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        #expect(try promise(f) == .recorded)
        let id = try #require(try f.claim(f.message(["d1"], step: "promise-confirmed:forgetful.1d", kind: .promiseConfirmed)).first)
        #expect(try promise(f, step: "forgetful.4d", through: CalendarDate(iso: "2026-11-27")!) == .recorded)
        #expect(try f.ledger.record([], markingSending: [id], now: Self.now).isEmpty)
        #expect(try f.ledger.history(id: "d1").contains { $0.summary.contains("attempt=\(id)") && $0.summary.contains("reason=promised") })
    }
}
