import Foundation
import LembraCore
import LembraStore
import Testing

/// Every backend follows the attempt lifecycle (`AttemptTransition`): each of the tick's guarded
/// updates, run on an attempt in each state reached through the ledger's own operations,
/// applies exactly when the table allows it and leaves the attempt in a state the table reaches.
/// States are told apart as the ledger shows them: ready to go (with its state), `sending`
/// (interrupted), or neither.
struct LifecycleContractTests {
    static let now = ContractFixture.now

    enum Seen: Equatable { case ready(AttemptState), sending, neither }

    static let tickTransitions: [AttemptTransition] = [.markSending, .recordOutcome, .holdForChannel, .waitForWindow, .cancel, .recoverInterrupted]

    @Test(arguments: Backend.allCases, tickTransitions)
    func appliesExactlyFromItsStates(_ backend: Backend, _ transition: AttemptTransition) throws {
        for state in AttemptState.allCases {
            let f = try ContractFixture(backend)
            let id = try reach(state, f)
            let before = try seen(id, f)
            let applied = try apply(transition, to: id, f)
            let after = try seen(id, f)
            if transition.from.contains(state) {
                #expect(applied != false, "\(transition) from \(state) must apply")
                #expect(transition.to.map(Self.seen).contains(after), "\(transition) from \(state) went to \(after)")
                #expect(after != before || transition == .holdForChannel || transition == .waitForWindow, "\(transition) from \(state) changed nothing")
            } else {
                #expect(applied != true, "\(transition) must not apply to a \(state) attempt")
                #expect(after == before, "\(transition) must leave a \(state) attempt alone")
            }
        }
    }

    @Test(arguments: Backend.allCases, [AttemptTransition.markSending, .holdForChannel])
    func notYetDueRetriesStayPut(_ backend: Backend, _ transition: AttemptTransition) throws {
        let f = try ContractFixture(backend)
        let id = try f.claimOne(["d1"])
        try f.markSending(id)
        try f.ledger.record([(id, .retry(at: Self.now.addingTimeInterval(60), reason: "451"))], now: Self.now)
        #expect(try apply(transition, to: id, f) == false)
        #expect(try f.pending(id, at: Self.now.addingTimeInterval(60))?.nextTryAt == Self.now.addingTimeInterval(60))
    }

    static func seen(_ state: AttemptState) -> Seen {
        switch state {
        case .claimed, .retry: .ready(state)
        case .sending: .sending
        default: .neither
        }
    }

    func seen(_ id: String, _ f: ContractFixture) throws -> Seen {
        if let a = try f.pending(id) { return .ready(a.state) }
        return try f.ledger.interrupted(now: Self.now).contains { $0.id == id } ? .sending : .neither
    }

    /// An attempt in `state`, got there through the ledger's operations (a retry due now).
    func reach(_ state: AttemptState, _ f: ContractFixture) throws -> String {
        if state == .skipped {
            let r = f.request(try f.message(["d1"]), skip: "no_address")
            #expect(try f.claim([r]).isEmpty)
            return r.attemptID
        }
        let id = try f.claimOne(["d1"])
        let outcome: AttemptOutcome? = switch state {
        case .retry: .retry(at: Self.now.addingTimeInterval(-60), reason: "451", mayHaveArrived: false)
        case .sent: .sent
        case .dead: .dead(reason: "550")
        case .inDoubt: .inDoubt(reason: "timeout")
        default: nil
        }
        switch state {
        case .claimed: break
        case .cancelled: #expect(try f.ledger.settle(waiting: [], cancelling: [(id, .paused)], now: Self.now) == [id])
        default:
            #expect(try f.markSending(id))
            if let outcome { try f.ledger.record([(id, outcome)], now: Self.now) }
        }
        return id
    }

    /// The tick's operation that makes `transition`, chosen so its result shows (a wait that
    /// ends now, a recovery back to `claimed`); whether it applied, when the operation says.
    func apply(_ transition: AttemptTransition, to id: String, _ f: ContractFixture) throws -> Bool? {
        let now = Self.now
        switch transition {
        case .markSending: return try f.ledger.record([], markingSending: [id], now: now) == [id]
        case .recordOutcome: try f.ledger.record([(id, .retry(at: now.addingTimeInterval(-1), reason: "451", mayHaveArrived: false))], now: now)
        case .holdForChannel: return try f.ledger.record([], holding: [id], until: now, reason: "channel_down: x", now: now) == [id]
        case .waitForWindow: try f.ledger.settle(waiting: [(id, now, .outsideWindow)], cancelling: [], now: now)
        case .cancel: return try f.ledger.settle(waiting: [], cancelling: [(id, .paused)], now: now) == [id]
        case .recoverInterrupted: try f.ledger.recoverInterrupted([id], to: .claimed, reason: "interrupted_before_send", now: now)
        case .claim, .requeue, .restore: Issue.record("not a transition of the tick")
        }
        return nil
    }
}
